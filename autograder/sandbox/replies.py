"""What a student process may send back, checked before it is believed.

An answer must be one JSON object carrying the id and nonce of the request just sent (and, for a
call of a batch, its index), with exactly the fields that request's answer has.
"""

from __future__ import annotations

FAILURE_KINDS = {"exception", "missing", "bad-output", "memory", "timeout", "crash"}


_OK_FIELDS = {
    "call": {"value": None, "args_after": None, "kwargs_after": None, "seconds": (int, float)},
    "define": {},
    "has": {"value": bool},
    "list": {"value": list},
}


def valid_reply(reply: dict, request: dict) -> bool:
    """Whether `reply` is a well-formed answer to `request` (and to nothing else)."""
    base = {"id", "nonce", "ok", "output"}
    if "index" in request:  # one call of a batch
        base.add("index")
        if type(reply.get("index")) is not int or reply["index"] != request["index"]:
            return False
    if (type(reply.get("id")) is not int or reply["id"] != request["id"]
            or reply.get("nonce") != request["nonce"] or type(reply.get("ok")) is not bool
            or not isinstance(reply.get("output"), str)):
        return False
    if not reply["ok"]:
        extra = set(reply) - base - {"kind", "message"}
        return (set(reply) >= base | {"kind", "message"} and reply["kind"] in FAILURE_KINDS
                and isinstance(reply["message"], str)
                and (not extra or (extra in ({"progress"}, {"progress", "ended"})
                                   and reply["kind"] == "timeout"
                                   and isinstance(reply["progress"], str)
                                   and reply.get("ended", True) is True)))
    fields = _OK_FIELDS[request["op"]]
    if set(reply) != base | set(fields):
        return False
    for name, kind in fields.items():
        if kind is not None and not isinstance(reply[name], kind):
            return False
    if request["op"] == "list" and not all(isinstance(n, str) for n in reply["value"]):
        return False
    return True
