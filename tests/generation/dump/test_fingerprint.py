"""The dump-pipeline code fingerprint that keys cached efficiency tables."""

from na62lab.generation.dump import fingerprint


def test_fingerprint_changes_with_the_code(tmp_path, monkeypatch):
    (tmp_path / "generation" / "dump").mkdir(parents=True)
    src = tmp_path / "generation" / "dump" / "x.py"
    src.write_text("A = 1\n")
    monkeypatch.setattr(fingerprint, "_PACKAGE", tmp_path)
    fingerprint.code_fingerprint.cache_clear()
    first = fingerprint.code_fingerprint()
    fingerprint.code_fingerprint.cache_clear()
    assert fingerprint.code_fingerprint() == first
    src.write_text("A = 2\n")
    fingerprint.code_fingerprint.cache_clear()
    assert fingerprint.code_fingerprint() != first
    fingerprint.code_fingerprint.cache_clear()


def test_fingerprint_covers_the_shipped_dump_sources():
    fingerprint.code_fingerprint.cache_clear()
    assert len(fingerprint.code_fingerprint()) == 40
    files = [p for pat in fingerprint.SOURCES for p in fingerprint._PACKAGE.glob(pat)]
    names = {p.name for p in files}
    assert {"sources.py", "cascade.py", "dump_grid.py", "dump_acceptance.py", "hnl.py"} <= names
