"""What crosses between the grader and the student's sandboxed process.

- wire: the protocol itself (framing, values by value, objects by reference, errors), standard
  library and numpy only: the sandbox runs it beside the student's code;
- rowguard: an array kind that refuses a loop over samples, and its error, on both sides;
- words: what the protocol says as data (where in a cell, how a process ended, which value
  could not cross, how a loop was seen), in the reader's language; the grader's side only.
"""
