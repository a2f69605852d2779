"""IR and detector regressions found while triaging findings on audited npm packages."""

from __future__ import annotations

from pathlib import Path

from contract_analyzer.engine import analyze, analyze_paths
from contract_analyzer.ir.project import Project
from contract_analyzer.ir.resolve import Scope
from contract_analyzer.parsing import parse_source

_MATH = """
pragma solidity ^0.4.24;
library CheckedMath {
    function minus(uint256 a, uint256 b) internal pure returns (uint256) {
        require(b <= a);
        return a - b;
    }
}
"""

_TOKEN = """
pragma solidity ^0.4.24;
import { CheckedMath as Maths } from "./Math.sol";
contract Ledger {
    using Maths for uint256;
    mapping(address => uint256) internal held;
    mapping(address => mapping(address => uint256)) internal allowances;
    function move(address from, address to, uint256 amount) public returns (bool) {
        var allowed = allowances[from][msg.sender];
        held[from] = held[from].minus(amount);
        held[to] = held[to] + amount;
        allowances[from][msg.sender] = allowed.minus(amount);
        return true;
    }
}
"""


def test_aliased_library_and_var_locals_are_not_external_calls(tmp_path: Path) -> None:
    (tmp_path / "Math.sol").write_text(_MATH)
    (tmp_path / "Ledger.sol").write_text(_TOKEN)
    project = analyze_paths([tmp_path], analysis_type="security")
    serious = [f for f in project.findings if f.type == "reentrancy"]
    assert serious == [], [(f.type, f.line_number) for f in serious]


def test_var_local_takes_the_type_of_its_value() -> None:
    unit = parse_source(
        """
        pragma solidity ^0.4.24;
        contract C {
            mapping(address => uint256) m;
            function f(address a) public view returns (uint256) { var x = m[a]; return x; }
        }
        """,
        "t.sol",
    )
    project = Project([unit])
    project.build()
    contract = unit.contracts[0]
    function = contract.functions[0]
    assert function.index is not None
    local = function.index.locals[0]
    assert local.type_name is None
    ident = next(i for i in function.index.identifiers if i.ref is local)
    ty = Scope(project, unit, contract, function).type_of(ident)
    assert ty is not None and str(ty) == "uint256"


def test_public_getter_of_another_contract_cannot_reenter() -> None:
    unit = parse_source(
        """
        pragma solidity ^0.8.0;
        contract Wallet { uint256 public nonce; function bump() external { nonce++; } }
        contract Guard {
            mapping(bytes32 => uint256) seen;
            function check(bytes32 h) external {
                Wallet w = Wallet(msg.sender);
                uint256 n = w.nonce();
                w.bump();
                seen[h] = n;
            }
        }
        """,
        "t.sol",
    )
    Project([unit]).build()
    check = unit.contracts[1].functions[0]
    assert check.facts is not None
    calls = {e.function_name: e for e in check.facts.external_calls}
    assert not calls["nonce"].can_reenter
    assert calls["bump"].can_reenter


def test_member_call_on_unresolved_camel_case_name_is_a_library_call() -> None:
    unit = parse_source(
        """
        pragma solidity ^0.8.0;
        import "@external/helpers/InputHelpers.sol";
        contract Vault {
            function f(uint256[] memory a, uint256[] memory b) external pure returns (uint256) {
                InputHelpers.ensureSameLength(a.length, b.length);
                return MathLib.max(a.length, b.length);
            }
            function g() external { TOKEN.transfer(msg.sender, 1); }
        }
        """,
        "t.sol",
    )
    Project([unit]).build()
    f, g = unit.contracts[0].functions
    assert f.facts is not None and g.facts is not None
    assert f.facts.external_calls == []
    assert [e.function_name for e in g.facts.external_calls] == ["transfer"]


_ROUTER = """
pragma solidity ^0.8.19;
interface ICoordinator { function start(address requester) external returns (uint256); }
contract Router {
    address private admin = msg.sender;
    mapping(bytes32 => address) private routes;
    mapping(address => uint256) private pending;
    function setRoute(bytes32 id, address to) external {
        require(msg.sender == admin);
        routes[id] = to;
    }
    function _route(bytes32 id) internal view returns (address) {
        address to = routes[id];
        require(to != address(0));
        return to;
    }
    function send(bytes32 id) external {
        uint256 before = pending[msg.sender];
        uint256 fee = ICoordinator(_route(id)).start(msg.sender);
        pending[msg.sender] = before + fee;
    }
    function sendTo(address coordinator) external {
        uint256 before = pending[msg.sender];
        uint256 fee = ICoordinator(coordinator).start(msg.sender);
        pending[msg.sender] = before + fee;
    }
}
"""


def test_stored_route_looked_up_by_a_caller_key_is_not_a_caller_chosen_target() -> None:
    report = analyze(_ROUTER, analysis_type="security", path="Router.sol")
    found = {f.line_number: f.severity for f in report.findings if f.type == "reentrancy"}
    assert found.get(19) == "medium"  # the admin's route, keyed by the caller's id
    assert found.get(24) == "high"  # any address the caller passes


_WALLET = """
pragma solidity ^0.8.19;
contract Wallet {
    address[] private signers;
    uint256 private threshold;
    uint256 private nonce;
    function setup(address[] calldata owners, uint256 required, address init, bytes calldata data) external {
        require(threshold == 0, "done");
        signers = owners;
        threshold = required;
        _run(init, data);
    }
    function execTransaction(address to, bytes calldata data, bytes calldata signatures) external {
        bytes32 digest = keccak256(abi.encode(to, data, nonce++));
        checkSignatures(digest, signatures);
        _run(to, data);
    }
    function checkSignatures(bytes32 digest, bytes calldata signatures) public view {
        require(signatures.length >= threshold * 65 && digest != bytes32(0), "sigs");
    }
    function _run(address to, bytes calldata data) private {
        (bool ok, ) = to.delegatecall(data);
        require(ok);
    }
}
"""


def test_delegatecall_behind_signatures_or_one_time_setup_is_medium() -> None:
    report = analyze(_WALLET, analysis_type="security", path="Wallet.sol")
    found = [f for f in report.findings if f.type == "controlled_delegatecall"]
    assert found and all(f.severity == "medium" for f in found), [
        (f.line_number, f.severity) for f in found
    ]
