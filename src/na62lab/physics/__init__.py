"""Units, particle data and kinematics shared by every stage."""
