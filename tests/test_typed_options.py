"""The one options mechanism: declaration, parsing, error wording, records and docs."""

from __future__ import annotations

import datetime
import pickle
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import pytest

from guidelint import options
from guidelint.config import Config, load_config
from guidelint.lint import build_selection
from guidelint.options import ConfigError, Key, Option, Record, Where
from guidelint.rules import RULES
from support import run_cli

WHERE = Where(source="pyproject.toml", table="tool.guidelint.sample")


def _upper(value: Any, at: Key) -> str:
    return options.string(value, at).upper()


class Inner(Record):
    depth: Annotated[int, Option(minimum=0, maximum=3, doc="How deep.")] = 1


class Sample(Record):
    count: Annotated[int, Option(minimum=1, doc="How many.")] = 2
    ratio: Annotated[float, Option(minimum=0.0, maximum=1.0, doc="How much.")] = 0.5
    on: Annotated[bool, Option(doc="Whether.")] = False
    name: Annotated[str, Option(key="the-name", doc="What.")] = "x"
    mode: Annotated[str, Option(choices=("fast", "slow"), doc="How.")] = "fast"
    file: Annotated[Path, Option(doc="Where.")] = Path("a")
    words: Annotated[tuple[str, ...], Option(doc="Which.")] = ()
    shout: Annotated[str | None, Option(parse=_upper, kind="a word", doc="Loud.")] = None
    inner: Annotated[Inner, Option(inline=True)] = Inner()
    hidden: int = 7  # no Option: not a TOML key


def _error(table: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as raised:
        options.parse(Sample, table, WHERE)
    return str(raised.value)


def test_every_kind_is_read() -> None:
    sample = options.parse(
        Sample,
        {
            "count": 3,
            "ratio": 1,
            "on": True,
            "the-name": "y",
            "mode": "slow",
            "file": "b/c",
            "words": ["p", "q"],
            "shout": "hey",
            "depth": 3,
        },
        WHERE,
    )
    assert sample == Sample(
        count=3,
        ratio=1.0,
        on=True,
        name="y",
        mode="slow",
        file=Path("b/c"),
        words=("p", "q"),
        shout="HEY",
        inner=Inner(depth=3),
    )
    assert isinstance(sample.ratio, float)
    assert options.parse(Sample, {}, WHERE) == Sample()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"count": 0}, "'count' must be an integer of at least 1, not 0"),
        ({"count": 1.5}, "'count' must be an integer of at least 1, not 1.5"),
        ({"count": True}, "'count' must be an integer of at least 1, not true"),
        ({"ratio": 2}, "'ratio' must be a number between 0.0 and 1.0, not 2"),
        ({"ratio": float("nan")}, "'ratio' must be a number between 0.0 and 1.0, not nan"),
        ({"on": "yes"}, "'on' must be true or false, not 'yes'"),
        ({"the-name": " "}, "'the-name' must be a non-empty string, not ' '"),
        ({"mode": "medium"}, "'mode' must be one of fast, slow, not 'medium'"),
        ({"file": ""}, "'file' must be a file path, not ''"),
        ({"words": "p"}, "'words' must be a list of strings, not 'p'"),
        ({"words": ["p", 1]}, "'words' must be a list of strings, not ['p', 1]"),
        ({"shout": 3}, "'shout' must be a non-empty string, not 3"),
        ({"depth": 4}, "'depth' must be an integer between 0 and 3, not 4"),
    ],
)
def test_one_wording_names_file_table_key_and_value(table: dict[str, Any], message: str) -> None:
    assert _error(table) == f"pyproject.toml: [tool.guidelint.sample] {message}"


def test_unknown_keys_list_the_allowed_ones_inline_records_included() -> None:
    assert _error({"cuont": 1}) == (
        "pyproject.toml: [tool.guidelint.sample] unknown key 'cuont' (did you mean 'count'?); "
        "allowed: count, depth, file, mode, on, ratio, shout, the-name, words"
    )
    assert "unknown key 'zzz'; allowed:" in _error({"zzz": 1})  # nothing close: no guess
    assert "unknown key 'hidden'" in _error({"hidden": 1})


def test_long_values_are_cut_and_keys_never_carry_control_characters() -> None:
    message = _error({"the-name": ["x" * 200]})
    assert len(message) < 200 and message.endswith("…")
    message = _error({"\x1b[31mred": 1})
    assert "\x1b" not in message
    assert "unknown key '\"\\u001b[31mred\"'" in message


def test_base_supplies_what_the_table_leaves_out() -> None:
    base = Sample(count=5, inner=Inner(depth=2))
    assert options.parse(Sample, {"on": True}, WHERE, base=base) == Sample(
        count=5, on=True, inner=Inner(depth=2)
    )


def test_records_are_frozen_keyword_only_comparable_and_picklable() -> None:
    sample = Sample(count=4)
    with pytest.raises(AttributeError, match="frozen"):
        sample.count = 5  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected"):
        Sample(cuont=4)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="missing"):
        Where()  # type: ignore[call-arg]
    assert sample.replace(count=6) == Sample(count=6)
    assert sample != Sample() and sample != Inner()
    assert hash(sample) == hash(Sample(count=4))
    assert pickle.loads(pickle.dumps(sample)) == sample
    assert repr(Inner()) == "Inner(depth=1)"


@dataclass(frozen=True)
class Frozen:
    required: Annotated[str, Option(required=True, doc="say why")]
    limit: Annotated[int, Option(minimum=0, doc="Most.")] = 1
    extra: dict[str, int] = field(default_factory=dict)


def test_frozen_dataclasses_are_read_the_same_way() -> None:
    assert options.parse(Frozen, {"required": "r", "limit": 2}, WHERE) == Frozen("r", 2)
    base = Frozen("r", 3)
    assert options.parse(Frozen, {"required": "s"}, WHERE, base=base) == Frozen("s", 3)
    with pytest.raises(ConfigError, match=re.escape("'required' is required: say why")):
        options.parse(Frozen, {"limit": 2}, WHERE)


def test_nested_tables_are_named_by_their_path() -> None:
    at = Key(where=WHERE, path="").child("hosts").child("a.example")
    with pytest.raises(ConfigError) as raised:
        options.parse(Inner, {"deep": 1}, at)
    assert str(raised.value) == (
        "pyproject.toml: [tool.guidelint.sample] unknown key 'hosts.\"a.example\".deep' "
        "(did you mean 'depth'?); allowed: depth"
    )
    with pytest.raises(ConfigError, match=re.escape("'hosts.\"a.example\"' must be a table")):
        options.parse(Inner, 3, at)  # type: ignore[arg-type]


def test_a_field_type_without_a_kind_is_a_programming_error() -> None:
    class Odd(Record):
        when: Annotated[datetime.time, Option(doc="When.")] = datetime.time()

    with pytest.raises(TypeError, match="no TOML kind"):
        options.fields(Odd)


def test_every_rule_option_is_declared_and_documented() -> None:
    for code, rule in RULES.items():
        for described, default in options.describe(rule.options):
            assert described.option.doc, (code, described.key)
            assert described.kind.startswith(("a ", "an ", "true", "one of")), (code, described)
            assert default is None or default == getattr(rule.options, described.name)


def test_rule_options_are_typed_and_checked_when_the_selection_is_built() -> None:
    config = Config(root=Path(), rule_options={"sentence-length": {"max_words": 12}})
    assert build_selection(config).options["GL403"].max_words == 12
    both = {"GL403": {"max_words": 12}, "sentence-length": {"max_words": 14}}
    assert build_selection(Config(root=Path(), rule_options=both)).options["GL403"].max_words == 14
    bad = Config(root=Path(), rule_options={"GL403": {"max_words": 0}})
    with pytest.raises(ConfigError) as raised:
        build_selection(bad)
    assert str(raised.value) == (
        "config: [tool.guidelint.rules.GL403] 'max_words' must be an integer of at least 1, not 0"
    )
    for key in ("GL4", "GL999", "sentence_length"):
        with pytest.raises(ConfigError, match=f"'{key}' is not a rule code or name"):
            build_selection(Config(root=Path(), rule_options={key: {}}))


def test_review_today_accepts_a_toml_date_or_its_text(tmp_path: Path) -> None:
    (tmp_path / "guidelint.toml").write_text(
        "[rules.GL501]\ntoday = 2026-11-22\n[rules.review-overdue]\nwarn_after_days = 10\n"
    )
    selection = build_selection(load_config(None, tmp_path))
    assert selection.options["GL501"].today == datetime.date(2026, 11, 22)
    assert selection.options["GL501"].warn_after_days == 10
    config = Config(root=tmp_path, rule_options={"GL501": {"today": "2026-11-22"}})
    assert build_selection(config).options["GL501"].today == datetime.date(2026, 11, 22)


def test_links_table_is_checked_when_the_config_loads(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.guidelint.links]\nconfirm-runs = 2\ntimeout = 3\nstate = 'h.sqlite'\n"
    )
    links = load_config(None, tmp_path).links
    assert links is not None
    assert (links.check.timeout, links.health.history.confirm_runs) == (3.0, 2)
    assert links.health.state_path == Path("h.sqlite")
    (tmp_path / "pyproject.toml").write_text("[tool.guidelint.links]\nconfirm-run = 2\n")
    with pytest.raises(ConfigError, match=r"links\] unknown key 'confirm-run' \(did you mean"):
        load_config(None, tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.guidelint]\nlinks = 3\n")
    with pytest.raises(ConfigError, match=r"\[tool.guidelint\] 'links' must be a table, not 3"):
        load_config(None, tmp_path)


def test_a_bad_rule_option_fails_every_command_when_the_config_loads(in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text("[tool.guidelint.rules.sentence-length]\nmax_word = 3\n")
    with pytest.raises(ConfigError) as raised:
        load_config(None, in_tmp)
    assert str(raised.value) == (
        f"{in_tmp / 'pyproject.toml'}: [tool.guidelint.rules.sentence-length] unknown key "
        "'max_word' (did you mean 'max_words'?); allowed: max_words"
    )
    for command in ("lint", "links"):
        run = run_cli(command, "--config", str(in_tmp / "pyproject.toml"), str(in_tmp))
        assert run.code == 2
        assert "unknown key 'max_word'" in run.stderr


def test_lint_reads_the_links_table_without_the_link_checker(tmp_path: Path) -> None:
    guide = Path(__file__).parent / "fixtures" / "guides" / "valid" / "minimal-us.yaml"
    (tmp_path / "pyproject.toml").write_text(
        "[tool.guidelint.links]\ntimeout = 3\nexclude = [{ url = 'https://x.example/', "
        "reason = 'r' }]\n[tool.guidelint.links.hosts.'a.example']\naccept = [403]\n"
    )
    code = (
        "import sys\n"
        "from guidelint.cli import main\n"
        f"main(['lint', {str(guide)!r}])\n"
        "heavy = ('aiohttp', 'guidelint.links.check', 'guidelint.links.pipeline', 'sqlite3',"
        " 'dataclasses')\n"
        "print('loaded=' + ','.join(m for m in heavy if m in sys.modules))\n"
        "print('read=' + str('guidelint.links.settings' in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.splitlines()[-2:] == ["loaded=", "read=True"]
