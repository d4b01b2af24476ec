"""The grading library of the course.

- checks.engine: runs student code in a sandbox and grades notebooks (nbgrader, nn-grade);
- checks.kit: what hidden checks are made of;
- checks.seminar1, checks.seminar2, ...: each seminar's hidden checks;
- checks.datasets: the course's generated data.
"""
