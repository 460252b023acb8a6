"""The numba cache key covers the kernel modules and their package imports, nothing else."""

from na62lab.physics import jit


def _names():
    return {str(p.relative_to(jit.PACKAGE_DIR)) for p in jit.kernel_sources()}


def test_kernel_closure_includes_kernels_and_their_imports():
    names = _names()
    assert "selection/kaon_cuts.py" in names      # defines kernels (the cuts that run)
    assert "physics/fastrng.py" in names          # imported by kernels (RNG helpers)
    assert "detector/params.py" in names          # constants frozen into kernels


def test_presentation_modules_do_not_invalidate_kernels():
    names = _names()
    assert not any(n.startswith(("cli/", "results/", "analyses/")) for n in names)


def test_hash_is_stable():
    assert jit.source_hash() == jit.source_hash()


def test_compile_status_module_stays_out_of_the_key():
    # physics/jit.py installs the status line of na62lab.kernels by name: editing it keeps compiled kernels
    assert "kernels.py" not in _names()
