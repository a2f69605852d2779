"""Import resolution across a project: relative, remappings, node_modules, lib/, by suffix."""

from __future__ import annotations

from pathlib import Path

from contract_analyzer import analyze_paths, analyze_sources
from contract_analyzer.ir.project import Project
from contract_analyzer.loader import DiskLoader, find_project_root

OWNABLE = """pragma solidity ^0.8.0;
abstract contract Ownable {
    address private _owner;
    constructor() { _owner = msg.sender; }
    modifier onlyOwner() { require(msg.sender == _owner, "not owner"); _; }
}
"""
VAULT = """pragma solidity ^0.8.0;
import "{import_path}";
contract Vault is Ownable {{
    function destroy() external onlyOwner {{ selfdestruct(payable(msg.sender)); }}
}}
"""


def _project(tmp_path: Path, import_path: str, placement: str, remap: str | None = None) -> Path:
    (tmp_path / "foundry.toml").write_text("[profile.default]\n")
    target = tmp_path / placement
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(OWNABLE)
    if remap:
        (tmp_path / "remappings.txt").write_text(remap + "\n")
    vault = tmp_path / "src" / "Vault.sol"
    vault.parent.mkdir(parents=True, exist_ok=True)
    vault.write_text(VAULT.format(import_path=import_path))
    return vault


def _resolved_guard(vault: Path) -> bool:
    loader = DiskLoader(find_project_root(vault))
    units = loader.load_with_imports([vault])
    Project(units).build()
    unit = loader.load(vault)
    contract = unit.contracts[0]
    assert not contract.unresolved_bases, unit.warnings
    destroy = contract.functions[0]
    assert destroy.facts is not None
    return destroy.facts.is_protected


def test_relative_import(tmp_path: Path) -> None:
    vault = _project(tmp_path, "./access/Ownable.sol", "src/access/Ownable.sol")
    assert _resolved_guard(vault)


def test_remapping(tmp_path: Path) -> None:
    vault = _project(
        tmp_path,
        "@oz/access/Ownable.sol",
        "lib/openzeppelin-contracts/contracts/access/Ownable.sol",
        remap="@oz/=lib/openzeppelin-contracts/contracts/",
    )
    assert _resolved_guard(vault)


def test_node_modules(tmp_path: Path) -> None:
    vault = _project(
        tmp_path,
        "@openzeppelin/contracts/access/Ownable.sol",
        "node_modules/@openzeppelin/contracts/access/Ownable.sol",
    )
    assert _resolved_guard(vault)


def test_foundry_lib_layout_without_remappings(tmp_path: Path) -> None:
    vault = _project(
        tmp_path,
        "@openzeppelin/contracts/access/Ownable.sol",
        "lib/openzeppelin-contracts/contracts/access/Ownable.sol",
    )
    assert _resolved_guard(vault)


def test_missing_import_is_a_warning_not_an_error(tmp_path: Path) -> None:
    vault = _project(tmp_path, "./Nowhere.sol", "src/unused/Other.sol")
    project = analyze_paths([vault], jobs=1)
    assert not project.errors
    [report] = project.reports
    assert any("Nowhere.sol" in w and "not found" in w for w in report.warnings)


def test_imported_dependency_findings_are_not_reported_for_the_importer(tmp_path: Path) -> None:
    vault = _project(tmp_path, "./access/Ownable.sol", "src/access/Ownable.sol")
    project = analyze_paths([vault], jobs=1)
    assert [r.file for r in project.reports] == [str(vault)]
    assert all(f.file == str(vault) for f in project.findings)


def test_in_memory_sources_import_each_other() -> None:
    project = analyze_sources(
        {
            "contracts/access/Ownable.sol": OWNABLE,
            "contracts/Vault.sol": VAULT.format(import_path="./access/Ownable.sol"),
        }
    )
    vault = next(r for r in project.reports if r.file == "contracts/Vault.sol")
    assert not vault.warnings
    assert not any(f.severity == "critical" for f in vault.findings)
    lonely = analyze_sources({"Vault.sol": VAULT.format(import_path="./Ownable.sol")})
    assert any("not among the submitted files" in w for w in lonely.reports[0].warnings)


def test_dependency_folders_are_skipped_below_a_scan_but_not_when_named(tmp_path: Path) -> None:
    dependency = tmp_path / "node_modules" / "@x" / "Lib.sol"
    dependency.parent.mkdir(parents=True)
    dependency.write_text(OWNABLE)
    (tmp_path / "Own.sol").write_text(OWNABLE)
    scanned = analyze_paths([tmp_path], jobs=1)
    assert [Path(r.file).name for r in scanned.reports] == ["Own.sol"]
    named = analyze_paths([dependency], jobs=1)
    assert [Path(r.file).name for r in named.reports] == ["Lib.sol"]
    inside = analyze_paths([dependency.parent], jobs=1)
    assert [Path(r.file).name for r in inside.reports] == ["Lib.sol"]
    excluded = analyze_paths([tmp_path], jobs=1, exclude=["Own.sol"])
    assert excluded.reports == []


def test_tests_scripts_and_mocks_are_skipped_in_folder_scans_by_default(tmp_path: Path) -> None:
    for relative in ("src/Vault.sol", "test/Vault.t.sol", "script/Deploy.s.sol", "src/mocks/M.sol"):
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(OWNABLE)
    default = analyze_paths([tmp_path], jobs=1)
    assert [Path(r.file).name for r in default.reports] == ["Vault.sol"]
    everything = analyze_paths([tmp_path], jobs=1, include_tests=True)
    assert len(everything.reports) == 4
    named = analyze_paths([tmp_path / "test" / "Vault.t.sol"], jobs=1)
    assert len(named.reports) == 1
