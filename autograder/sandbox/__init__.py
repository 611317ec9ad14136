"""Running untrusted student code in a sandbox, and the plain-data wire format.

The grader's side: `levels` (which isolation, chosen in one place), `launch` (the command that
starts the sandbox at each level), `process` (the Sandbox and its template), `student` (one
submission's process), `submission` (it behind the graders' interface), `channel` and `codec`
(the wire). The code that runs inside the sandbox is in `inside/`, one file per role.
"""
