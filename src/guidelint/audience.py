"""Who a step is written for, read from its wording: children and young people, or adults.

Shared by the rules that hold a step's `audience` to its words (GL206, GL210) and by
`import`, which marks the under-18 steps of a guide written as text, so that what lint asks
for and what import writes agree.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from guidelint.lazyre import lazy_pattern

# Ages under which a reader is a child for these guides' purposes: "under 16", "under 18".
_CHILD_AGE: Final = r"(?:1[0-8]|eighteen|sixteen|thirteen)"
_YOU_ARE: Final = r"(?:you\s+are|you[’']re|you\s+re|you\s+r|ur)"
_A_CHILD: Final = r"(?:a\s+)?(?:child|kid|minor|teen|teenager|young\s+person|young\s+people|school\s?(?:child|kid|pupil)|pupil)"

# Readers named as a group: "children", "young people under 16", "anyone under 18",
# "teenagers aged 13 to 17".
_GROUP: Final = (
    r"(?:under[- ]?(?:16|18)s|children(?:\s+and\s+(?:young\s+people|teenagers|teens))?"
    r"|young\s+people|teens|teenagers|kids|(?:anyone|people|those)(?=\s+(?:aged|under|below|younger)))"
)
_AGED: Final = (
    rf"(?:(?:aged\s+)?(?:under|below|younger\s+than)\s+(?:the\s+age\s+of\s+)?{_CHILD_AGE}"
    r"|aged\s+\d{1,2}\s*(?:to|-|–|and)\s*1[0-8])\b"
)

# The reader is the child: "If you're under 18", "if you are a young person", "Under-18s can
# call …", "Young people can report …", "If you are 17 or younger", "not yet 18". Compiled on
# first use.
_addressed = lazy_pattern(
    rf"\b{_YOU_ARE}\s+(?:aged\s+)?(?:under|below|younger\s+than)\s+(?:the\s+age\s+of\s+)?{_CHILD_AGE}\b"
    rf"|\b{_YOU_ARE}\s+(?:still\s+)?{_A_CHILD}\b"
    rf"|\b{_YOU_ARE}\s+(?:not\s+yet|not)\s+{_CHILD_AGE}\b"
    # "if you're still at school", "if you are in secondary school"
    rf"|\b{_YOU_ARE}\s+(?:still\s+)?(?:at|in)\s+(?:primary\s+|secondary\s+|high\s+|middle\s+)?school\b"
    rf"|\b{_YOU_ARE}\s+(?:aged\s+)?{_CHILD_AGE}\s+or\s+(?:younger|under|less)\b"
    # not "parents of children under 13 can call", "if your kids can …"
    r"|(?<!\bof\s)(?<!\byour\s)(?<!\btheir\s)(?<!\bwith\s)(?<!\babout\s)(?<!\bwhose\s)"
    rf"\b{_GROUP}(?:\s+{_AGED})?\s+(?:can|should|could|may|must|need\s+to)\s+(?:also\s+|always\s+)?"
    r"(?:call|text|contact|report|talk|speak|get|use|ask|go|visit|chat|message|reach|tell|phone"
    r"|ring|email|block|find|show|save)\b"
    # "For young people under 16, …", "For children, Childline …", "Under 18? Call …",
    # "Are you under 18?"
    rf"|(?:^|[.!?:;(]\s*)for\s+{_GROUP}(?:\s+{_AGED}|\s*[,:])"
    rf"|\b(?:are\s+you\s+)?(?:under|below|younger\s+than)\s+{_CHILD_AGE}\s*\?",
    re.IGNORECASE | re.MULTILINE,
)

# The situation involves a child: "If anyone in the images is under 18", "if the person in
# the photo is a child". Import marks these steps as the under-18 route too.
_involves = lazy_pattern(
    rf"\bif\s+(?:anyone|someone|any\s+of\s+them|the\s+person|a\s+person|the\s+victim)\b[^.;:]{{0,40}}?"
    rf"\b(?:is|was|were|are)\s+(?:(?:under|below|younger\s+than)\s+(?:the\s+age\s+of\s+)?{_CHILD_AGE}\b|{_A_CHILD}\b)",
    re.IGNORECASE,
)

# The text says it is for adults: "18+", "over 18", "aged 18 or over", "if you're 18 or
# older", "over the age of 18", "at least 18", "for adults", "if you are an adult" (not
# "talk to an adult", which a child is told).
_for_adults = lazy_pattern(
    r"\b(?:18|19|21)\s*\+|\b(?:18|19|21)[- ]plus\b"
    r"|\b(?:over|aged|age|ages|above|at\s+least|older\s+than)\s+(?:the\s+age\s+of\s+)?(?:18|eighteen|19|21)\b"
    r"|\bover[- ]18s\b"
    r"|\b(?:18|eighteen)(?:\s+years?(?:\s+of\s+age|\s+old)?)?\s+(?:or|and)\s+(?:over|older|above|up)\b"
    rf"|\b(?:for|if\s+{_YOU_ARE}|as)\s+(?:an?\s+)?(?:adults?|grown[- ]ups?)\b"
    r"|\badults?\s+(?:only|can|should|may|aged|over|victims?|survivors?)\b|\badults[- ]only\b",
    re.IGNORECASE,
)


# Every form holds one of these; most steps hold none, and this scan is cheap.
# "below the age of 18" holds none of the group words, so "below" is a hint of its own.
_HINT: Final = re.compile(
    r"under|below|young|teen|kid|child|minor|pupil|school|not yet|or younger", re.I
)


# Variants of a situation share most of their steps, so each is read once.
@functools.lru_cache(maxsize=8192)
def addressed_to_children(text: str) -> int | None:
    """Offset of the words that address the reader as a child or young person, if any."""
    if not _HINT.search(text):
        return None
    found = _addressed().search(text)
    return found.start() if found else None


def child_route(text: str) -> bool:
    """Whether the text addresses a child, or is the route for a situation involving one."""
    return addressed_to_children(text) is not None or _involves().search(text) is not None


def says_for_adults(text: str) -> bool:
    return _for_adults().search(text) is not None
