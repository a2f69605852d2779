"""Labels of the recall corpus (bench/corpus) and the detector-to-class table.

A label is a comment line ``// vuln: <class>[, <class>...]`` placed directly above the
line it marks. Consecutive label lines stack onto the same target line. Shared by
``bench/recall.py`` and ``tests/test_bench_corpus.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CORPUS = BENCH / "corpus"
SAFE_CORPUS = BENCH / "corpus_safe"

CLASSES = (
    "reentrancy",
    "unchecked_call",
    "access_control",
    "arithmetic",
    "bad_randomness",
    "time_manipulation",
    "denial_of_service",
    "front_running",
    "short_address",
    "other",
)

LABEL_RE = re.compile(r"^\s*//\s*vuln:\s*(?P<classes>.*?)\s*$")


@dataclass(frozen=True)
class Label:
    path: Path
    line: int  # 1-based line the label points at (the line after the comment)
    cls: str

    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


@dataclass(frozen=True)
class LabelProblem:
    path: Path
    line: int  # line of the comment
    message: str


def read_labels(path: Path) -> tuple[list[Label], list[LabelProblem]]:
    """Labels of one file, and problems with them (unknown class, nothing to point at)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    labels: list[Label] = []
    problems: list[LabelProblem] = []
    pending: list[tuple[int, str]] = []
    for number, text in enumerate(lines, start=1):
        match = LABEL_RE.match(text)
        if match:
            names = [n.strip() for n in match.group("classes").split(",") if n.strip()]
            if not names:
                problems.append(LabelProblem(path, number, "label names no class"))
            for name in names:
                if name not in CLASSES:
                    problems.append(LabelProblem(path, number, f"unknown class {name!r}"))
                pending.append((number, name))
            continue
        if pending:
            stripped = text.strip()
            if not stripped or stripped.startswith(("//", "/*", "*")):
                for comment_line, _ in pending:
                    problems.append(
                        LabelProblem(path, comment_line, "label is not followed by a code line")
                    )
            else:
                labels.extend(Label(path, number, name) for _, name in pending if name in CLASSES)
            pending = []
    for comment_line, _ in pending:
        problems.append(LabelProblem(path, comment_line, "label at the end of the file"))
    return labels, problems


def corpus_files(folder: Path = CORPUS) -> list[Path]:
    return sorted(folder.glob("*.sol"))


# ---------------------------------------------------------------- detector -> class

# Exact detector ids known when the corpus was written (the catalogue of
# ``contract-analyzer detectors --format json``) and ids the wording suggests.
ID_TO_CLASS: dict[str, str] = {
    # reentrancy and calls
    "reentrancy": "reentrancy",
    "unchecked_call": "unchecked_call",
    "unchecked_erc20_transfer": "other",
    "unused_return_value": "other",
    # access control
    "arbitrary_from_transfer": "access_control",
    "arbitrary_send_ether": "access_control",
    "arbitrary_storage_write": "access_control",
    "controlled_delegatecall": "access_control",
    "default_function_visibility": "access_control",
    "ecrecover_zero_address": "access_control",
    "signature_malleability": "access_control",
    "signature_replay": "access_control",
    "state_variable_default_visibility": "access_control",
    "tx_origin": "access_control",
    "uninitialized_storage_pointer": "access_control",
    "unprotected_initializer": "access_control",
    "unprotected_mint": "access_control",
    "unprotected_ownership_change": "access_control",
    "unprotected_selfdestruct": "access_control",
    "wrong_constructor_name": "access_control",
    # arithmetic
    "divide_before_multiply": "arithmetic",
    "integer_overflow": "arithmetic",
    "unsafe_downcast": "arithmetic",
    # randomness and time
    "weak_randomness": "bad_randomness",
    "timestamp_dependence": "time_manipulation",
    # denial of service (an owner whose inaction locks funds is a DoS, not access control)
    "dos_with_failed_call": "denial_of_service",
    "external_call_in_loop": "denial_of_service",
    "owner_dependent_lock": "denial_of_service",
    "strict_balance_equality": "denial_of_service",
    "unbounded_loop": "denial_of_service",
    # front-running
    "erc20_approve_race": "front_running",
    "frontrunnable_solution": "front_running",
    "transaction_order_dependence": "front_running",
    "short_address": "short_address",
    # other
    "assert_violation": "other",
    "assignment_typo": "other",
    "deprecated_constructs": "other",
    "encode_packed_collision": "other",
    "floating_pragma": "other",
    "hardcoded_gas": "other",
    "incorrect_inheritance_order": "other",
    "local_variable_shadowing": "other",
    "locked_ether": "other",
    "no_effect_code": "other",
    "outdated_compiler": "other",
    "private_data_exposure": "other",
    "rtlo_character": "other",
    "state_variable_shadowing": "other",
    "uninitialized_state_variable": "other",
}

# Ignored ERC20 return values are labelled ``other`` in the corpus (see bench/README.md)
# even when the detector carries SWC-104, so these id fragments win over the SWC id.
_TOKEN_RETURN_FRAGMENTS = (
    "unchecked_transfer",
    "unchecked_erc20",
    "unchecked_token",
    "erc20_return",
    "token_return",
    "ignored_return",
    "unused_return",
    "return_value",
)

SWC_TO_CLASS: dict[str, str] = {
    "SWC-107": "reentrancy",
    "SWC-104": "unchecked_call",
    "SWC-100": "access_control",
    "SWC-105": "access_control",
    "SWC-106": "access_control",
    "SWC-108": "access_control",
    "SWC-109": "access_control",
    "SWC-112": "access_control",
    "SWC-115": "access_control",
    "SWC-117": "access_control",
    "SWC-118": "access_control",
    "SWC-121": "access_control",
    "SWC-122": "access_control",
    "SWC-124": "access_control",
    "SWC-101": "arithmetic",
    "SWC-120": "bad_randomness",
    "SWC-116": "time_manipulation",
    "SWC-113": "denial_of_service",
    "SWC-128": "denial_of_service",
    "SWC-132": "denial_of_service",
    "SWC-114": "front_running",
}

# Fragments of detector ids, tried in order when neither the exact id nor the SWC id
# decides; a fragment must start a word of the id (``block_timestamp`` does not contain
# ``lock``). The first match wins, so the more specific fragments come first.
ID_FRAGMENTS: tuple[tuple[str, str], ...] = (
    ("short_address", "short_address"),
    ("reentran", "reentrancy"),
    ("uninitialized_state", "other"),
    ("uninitialised_state", "other"),
    ("unchecked", "unchecked_call"),
    ("unchecked_send", "unchecked_call"),
    ("low_level", "unchecked_call"),
    ("tx_origin", "access_control"),
    ("txorigin", "access_control"),
    ("selfdestruct", "access_control"),
    ("suicide", "access_control"),
    ("storage_pointer", "access_control"),
    ("uninitialized_storage", "access_control"),
    ("uninitialised_storage", "access_control"),
    ("delegatecall", "access_control"),
    ("arbitrary", "access_control"),
    ("unprotected", "access_control"),
    ("access", "access_control"),
    ("initiali", "access_control"),
    ("constructor", "access_control"),
    ("visibility", "access_control"),
    ("signature", "access_control"),
    ("ecrecover", "access_control"),
    ("replay", "access_control"),
    ("malleab", "access_control"),
    ("mint", "access_control"),
    ("owner", "access_control"),
    ("storage_write", "access_control"),
    ("array_length", "access_control"),
    ("overflow", "arithmetic"),
    ("underflow", "arithmetic"),
    ("arithmetic", "arithmetic"),
    ("integer", "arithmetic"),
    ("downcast", "arithmetic"),
    ("truncat", "arithmetic"),
    ("divide_before", "arithmetic"),
    ("division", "arithmetic"),
    ("precision", "arithmetic"),
    ("random", "bad_randomness"),
    ("prng", "bad_randomness"),
    ("timestamp", "time_manipulation"),
    ("time_manipulation", "time_manipulation"),
    ("block_time", "time_manipulation"),
    ("denial", "denial_of_service"),
    ("dos", "denial_of_service"),
    ("unbounded", "denial_of_service"),
    ("loop", "denial_of_service"),
    ("balance_equality", "denial_of_service"),
    ("strict_equality", "denial_of_service"),
    ("king", "denial_of_service"),
    ("front", "front_running"),
    ("approve", "front_running"),
    ("race", "front_running"),
    ("transaction_order", "front_running"),
)

CATEGORY_TO_CLASS: dict[str, str] = {
    "reentrancy": "reentrancy",
    "calls": "unchecked_call",
    "access_control": "access_control",
    "access": "access_control",
    "arithmetic": "arithmetic",
    "randomness": "bad_randomness",
    "bad_randomness": "bad_randomness",
    "time": "time_manipulation",
    "timestamp": "time_manipulation",
    "time_manipulation": "time_manipulation",
    "dos": "denial_of_service",
    "denial_of_service": "denial_of_service",
    "frontrunning": "front_running",
    "front_running": "front_running",
    "short_address": "short_address",
    "hygiene": "other",
    "other": "other",
}


def classify(detector_id: str, swc_id: str | None, category: str | None) -> tuple[str, str]:
    """The corpus class of a detector, and how it was decided (``id``, ``token-return``,
    ``swc``, ``id-fragment``, ``category`` or ``unknown``)."""
    if detector_id in ID_TO_CLASS:
        return ID_TO_CLASS[detector_id], "id"
    lowered = detector_id.lower()
    if any(fragment in lowered for fragment in _TOKEN_RETURN_FRAGMENTS):
        return "other", "token-return"
    if swc_id and swc_id in SWC_TO_CLASS:
        return SWC_TO_CLASS[swc_id], "swc"
    bounded = "_" + lowered
    for fragment, cls in ID_FRAGMENTS:
        if "_" + fragment in bounded:  # the fragment starts a word of the id
            return cls, "id-fragment"
    if category and category in CATEGORY_TO_CLASS:
        return CATEGORY_TO_CLASS[category], "category"
    if swc_id:  # any other SWC id is hygiene-like (pragma, deprecated, shadowing...)
        return "other", "swc"
    return "other", "unknown"
