"""Loading source units and resolving imports, from disk or from memory.

Imports are looked up the way the common toolchains do, in this order:

1. Foundry remappings (``remappings.txt`` in the project root): longest prefix wins;
2. relative paths (``./x.sol``, ``../x.sol``) against the importing file;
3. the project root, then ``node_modules/`` and ``lib/`` in every folder from the
   importing file up to the root (``@openzeppelin/...`` lands in ``node_modules``);
4. Foundry's implicit ``lib/<name>/src`` and ``lib/<name>/contracts`` layouts;
5. any file of the project whose path ends like the import.

An import that none of these finds is a warning on the importing file; the analysis
goes on and reasons conservatively about what it would have declared.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import Path

from contract_analyzer.errors import InputError
from contract_analyzer.ir.declarations import SourceUnit
from contract_analyzer.parsing import parse_source
from contract_analyzer.parsing.source import MAX_SOURCE_BYTES, read_source_file

_ROOT_MARKERS = (
    "foundry.toml",
    "hardhat.config.js",
    "hardhat.config.ts",
    "truffle-config.js",
    "remappings.txt",
    "package.json",
    ".git",
)
MAX_IMPORTED_FILES = 2000


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that looks like a project root."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in _ROOT_MARKERS):
            return candidate
    return folder


def read_remappings(root: Path) -> list[tuple[str, str]]:
    """``prefix=target`` lines of ``remappings.txt`` (context prefixes ignored)."""
    path = root / "remappings.txt"
    remappings: list[tuple[str, str]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return remappings
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        prefix, target = line.split("=", 1)
        if ":" in prefix:
            prefix = prefix.split(":", 1)[1]
        remappings.append((prefix.strip(), target.strip()))
    remappings.sort(key=lambda r: len(r[0]), reverse=True)
    return remappings


class DiskLoader:
    """Parses files on demand (once each) and links their imports."""

    def __init__(self, root: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> None:
        self.root = root.resolve()
        self.remappings = read_remappings(self.root)
        self.max_bytes = max_bytes
        self.units: dict[Path, SourceUnit] = {}
        self.failures: dict[Path, str] = {}
        self._project_files: list[Path] | None = None

    def display_path(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def load(self, path: Path, display: str | None = None) -> SourceUnit:
        """Parse ``path`` (raises :class:`InputError` when it cannot be read)."""
        key = path.resolve()
        unit = self.units.get(key)
        if unit is not None:
            return unit
        if key in self.failures:
            raise InputError(self.failures[key])
        try:
            text = read_source_file(key, max_bytes=self.max_bytes)
        except InputError as exc:
            self.failures[key] = exc.message
            raise
        unit = parse_source(text, display or self.display_path(path))
        unit.disk_path = key
        self.units[key] = unit
        return unit

    def load_with_imports(self, paths: Iterable[Path]) -> list[SourceUnit]:
        """Load ``paths`` and, transitively, everything they import."""
        queue = [self.load(p) for p in paths]
        done: set[int] = set()
        while queue:
            unit = queue.pop()
            if id(unit) in done:
                continue
            done.add(id(unit))
            origin = unit.disk_path
            if origin is None:
                continue
            for imp in unit.imports:
                if imp.resolved is not None:
                    continue
                target = self.resolve(origin, imp.path)
                if target is None:
                    unit.warnings.append(
                        f"line {imp.line}: import {imp.path!r} not found; what it declares is unknown"
                    )
                    continue
                if len(self.units) >= MAX_IMPORTED_FILES and target.resolve() not in self.units:
                    unit.warnings.append(
                        f"line {imp.line}: import {imp.path!r} skipped (too many files)"
                    )
                    continue
                try:
                    imported = self.load(target)
                except InputError as exc:
                    unit.warnings.append(
                        f"line {imp.line}: import {imp.path!r} unreadable: {exc.message}"
                    )
                    continue
                imp.resolved = imported
                if id(imported) not in done:
                    queue.append(imported)
        return list(self.units.values())

    # ------------------------------------------------------------------ resolution
    def resolve(self, origin: Path, import_path: str) -> Path | None:
        for candidate in self._candidates(origin, import_path):
            if candidate.is_file():
                return candidate
        return self._by_suffix(import_path)

    def _candidates(self, origin: Path, import_path: str) -> Iterable[Path]:
        for prefix, target in self.remappings:
            if import_path.startswith(prefix):
                yield self.root / (target + import_path[len(prefix) :])
        if import_path.startswith("."):
            yield origin.parent / import_path
            return
        yield self.root / import_path
        folder = origin.parent
        while True:
            yield folder / "node_modules" / import_path
            yield folder / "lib" / import_path
            yield folder / import_path
            if folder in (self.root, folder.parent):
                break
            folder = folder.parent
        head, _, rest = import_path.partition("/")
        name = head.lstrip("@")
        for lib in (self.root / "lib" / name, self.root / "lib" / f"{name}-contracts"):
            yield lib / rest
            yield lib / "src" / rest
            yield lib / "contracts" / rest
            if rest.startswith("contracts/"):
                yield lib / rest[len("contracts/") :]

    def _by_suffix(self, import_path: str) -> Path | None:
        parts = [p for p in import_path.split("/") if p not in ("", ".", "..")]
        if not parts:
            return None
        files = self._files()
        for drop in range(len(parts)):
            suffix = "/".join(parts[drop:])
            if drop > 0 and len(parts) - drop < 2 and len(parts) > 1:
                break
            matches = [f for f in files if f.as_posix().endswith("/" + suffix)]
            if len(matches) == 1:
                return matches[0]
            if matches:
                matches.sort(key=lambda f: len(f.parts))
                return matches[0]
        return None

    def _files(self) -> list[Path]:
        if self._project_files is None:
            files: list[Path] = []
            try:
                for path in self.root.rglob("*.sol"):
                    files.append(path)
                    if len(files) > 20000:
                        break
            except OSError:
                pass
            self._project_files = files
        return self._project_files


class MemoryLoader:
    """Units from named in-memory sources (the API's batch request); imports between
    them resolve by path relative to the importer, then by file name."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.units: dict[str, SourceUnit] = {
            name: parse_source(text, name) for name, text in sources.items()
        }

    def link(self) -> list[SourceUnit]:
        by_base: dict[str, list[str]] = {}
        for name in self.units:
            by_base.setdefault(posixpath.basename(name), []).append(name)
        for name, unit in self.units.items():
            for imp in unit.imports:
                target = self._resolve(name, imp.path, by_base)
                if target is None:
                    unit.warnings.append(
                        f"line {imp.line}: import {imp.path!r} not among the submitted files; "
                        "what it declares is unknown"
                    )
                else:
                    imp.resolved = self.units[target]
        return list(self.units.values())

    def _resolve(self, origin: str, import_path: str, by_base: dict[str, list[str]]) -> str | None:
        if import_path.startswith("."):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(origin), import_path))
            if joined in self.units:
                return joined
        normalized = posixpath.normpath(import_path)
        if normalized in self.units:
            return normalized
        for name in self.units:
            if name.endswith("/" + normalized):
                return name
        candidates = by_base.get(posixpath.basename(import_path), [])
        return candidates[0] if candidates else None
