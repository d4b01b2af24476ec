"""The grading engine: the sandbox, the student process and its wire protocol, grading one
notebook, the nbgrader preprocessors and the nn-grade command. It names no seminar: what
to check comes from the course (checks.<assignment>, the instructor notebook).
"""
