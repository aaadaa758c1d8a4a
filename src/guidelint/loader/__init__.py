"""Strict, position-preserving YAML loading.

Guides are read from libyaml's event stream (when PyYAML was built with it) and turned into
plain Python values by this package, never by PyYAML's constructors. That gives one pass in
which every hazard is caught at its exact position: duplicate keys (PyYAML keeps the last one
silently), anchors and aliases (guides need neither, and aliases are how "billion laughs"
files explode memory), tags (the way YAML constructs arbitrary objects), several documents in
one file, and scalars that YAML 1.1 tools and YAML 1.2 editors read differently. Values are
resolved with the YAML 1.2 core schema, so dates stay text and `no` stays text (and is
flagged). Size and nesting depth are bounded before and during parsing.

The package follows those steps: `reading` (file-level limits, decoding, parser errors as
problems), `events` (the event stream into values and spans), `scalars` (YAML 1.2 values and
YAML 1.1 readings), `document` (positions of keys, values and characters in the source) and
`model` (codes, limits and records they share).
"""

from __future__ import annotations

from guidelint.loader.document import Document as Document
from guidelint.loader.document import _align as _align
from guidelint.loader.document import _get as _get
from guidelint.loader.document import _walk as _walk
from guidelint.loader.model import AMBIGUOUS as AMBIGUOUS
from guidelint.loader.model import DUPLICATE_KEY as DUPLICATE_KEY
from guidelint.loader.model import ENCODING as ENCODING
from guidelint.loader.model import FATAL_CODES as FATAL_CODES
from guidelint.loader.model import LIMITS as LIMITS
from guidelint.loader.model import MAX_BYTES as MAX_BYTES
from guidelint.loader.model import MAX_DEPTH as MAX_DEPTH
from guidelint.loader.model import MAX_PROBLEMS as MAX_PROBLEMS
from guidelint.loader.model import OUTSIDE as OUTSIDE
from guidelint.loader.model import SYNTAX as SYNTAX
from guidelint.loader.model import UNQUOTED_DATE as UNQUOTED_DATE
from guidelint.loader.model import UNSUPPORTED as UNSUPPORTED
from guidelint.loader.model import Pointer as Pointer
from guidelint.loader.model import Problem as Problem
from guidelint.loader.model import Span as Span
from guidelint.loader.reading import LoadResult as LoadResult
from guidelint.loader.reading import load_bytes as load_bytes
from guidelint.loader.reading import load_path as load_path
from guidelint.loader.reading import load_text as load_text
