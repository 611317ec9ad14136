"""Planned calls the template keeps for its children, decoded once (sandbox/batch.KeptPlans).

The grader hands the template a plan that it has sent in full to two children in a row; every
child forked after that has it in its memory, and a batch request that names it runs its first
`count` calls, each on fresh copies of the decoded values (`codec.copied`), as decoding them
again would give.
"""

import codec

_PLANS = {}  # key -> [(the call as a batch request has it, (args, kwargs) decoded)]


def keep(key, calls, limit):
    """In the template: keep a batch request's `calls` under `key`, and no more than `limit`
    plans (the grader's batch.KEEP_PLANS: the oldest goes); False if they are not a list of
    calls whose values decode as plain data (then nothing is kept)."""
    try:
        kept = []
        for each in calls:
            values = (codec.from_plain(each["args"]), codec.from_plain(each["kwargs"]))
            if not isinstance(values[0], list) or not isinstance(values[1], dict) \
                    or codec.mentions_remote(values):
                return False
            kept.append((each, values))
    except (codec.CodecError, KeyError, TypeError, ValueError, RecursionError):
        return False
    _PLANS[key] = kept
    while len(_PLANS) > limit:
        del _PLANS[next(iter(_PLANS))]
    return True


def kept_calls(key, count):
    """The first `count` calls of the plan kept under `key`, or None when there is none such."""
    kept = _PLANS.get(key) if isinstance(key, int) else None
    if kept is None or type(count) is not int or not 0 < count <= len(kept):
        return None
    return kept[:count]
