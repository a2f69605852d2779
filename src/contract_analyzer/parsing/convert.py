"""Conversion of the tree-sitter syntax tree into the IR.

One pass over the concrete syntax tree builds :class:`SourceUnit` with its contracts,
functions and statements. Anything the grammar could not read (an ``ERROR`` node)
becomes an unknown statement or expression and a syntax problem on the unit, so a
file with a typo in one function is still analysed everywhere else.

Legacy syntax is translated here: ``throw``, ``_``, ``var``, ``constant`` functions,
``function()`` fallbacks; the converter records *syntax hints* (legacy / modern) used
to guess the compiler version of a file without a pragma.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from tree_sitter import Node as TSNode

from contract_analyzer.ir.declarations import (
    Comment,
    Contract,
    EnumDef,
    ErrorDef,
    EventDef,
    Function,
    Import,
    ImportSymbol,
    InheritanceSpec,
    Modifier,
    ModifierInvocation,
    Pragma,
    SourceUnit,
    Span,
    StateVariable,
    StructDef,
    UsingFor,
)
from contract_analyzer.ir.nodes import (
    Assembly,
    Assignment,
    Binary,
    Block,
    Break,
    Call,
    CallOptions,
    CatchClause,
    Conditional,
    Continue,
    DoWhile,
    Emit,
    Expr,
    ExpressionStmt,
    For,
    Identifier,
    If,
    Index,
    InlineArray,
    Literal,
    Member,
    MetaType,
    New,
    Node,
    Placeholder,
    Return,
    Revert,
    Slice,
    Stmt,
    Throw,
    Try,
    TupleExpr,
    TypeExpr,
    Unary,
    UnknownExpr,
    UnknownStmt,
    Update,
    VarDecl,
    Variable,
    While,
    YulCall,
)
from contract_analyzer.ir.types import TypeName
from contract_analyzer.parsing.normalize import attach_binary, attach_conditional, attach_postfix

N = TypeVar("N", bound=Node)

MAX_NESTING = 150
"""Deeper nesting of statements and expressions than this is read as unknown code
(with a warning): real contracts stay far below it, and it bounds recursion."""

_COMMENT_RE = re.compile(
    r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|(//[^\n]*|/\*.*?(?:\*/|\Z))""",
    re.DOTALL,
)

_LEGACY_IDENTIFIERS = frozenset({"throw", "suicide", "sha3", "callcode", "years"})
_VISIBILITIES = frozenset({"public", "external", "internal", "private"})
_MUTABILITIES = frozenset({"payable", "view", "pure", "constant"})


def convert(root: TSNode, source: bytes, path: str, text: str) -> SourceUnit:
    """Build the IR of one file from its syntax tree."""
    unit = SourceUnit(path=path, text=text, lines=text.splitlines())
    _Converter(source, unit).run(root)
    return unit


def extract_comments(text: str) -> list[Comment]:
    """Comments of a file, with their lines (strings are skipped correctly)."""
    comments: list[Comment] = []
    line = 1
    pos = 0
    for m in _COMMENT_RE.finditer(text):
        body = m.group(1)
        if body is None:
            continue
        line += text.count("\n", pos, m.start())
        pos = m.start()
        comments.append(Comment(line=line, end_line=line + body.count("\n"), text=body))
    return comments


class _Converter:
    def __init__(self, source: bytes, unit: SourceUnit) -> None:
        self.src = source
        self.unit = unit
        self.depth = 0
        self.too_deep = False
        self.contract: Contract | None = None
        self._expr_handlers: dict[str, Callable[[TSNode], Expr]] = {
            "identifier": self._identifier,
            "number_literal": self._number,
            "string_literal": self._string,
            "hex_string_literal": lambda n: self._literal(n, "hex"),
            "unicode_string_literal": lambda n: self._literal(n, "unicode"),
            "boolean_literal": lambda n: self._literal(n, "bool"),
            "member_expression": self._member,
            "array_access": self._index,
            "slice_access": self._slice,
            "call_expression": self._call,
            "struct_expression": self._call_options,
            "binary_expression": self._binary,
            "unary_expression": self._unary,
            "update_expression": self._update,
            "assignment_expression": self._assignment,
            "augmented_assignment_expression": self._assignment,
            "ternary_expression": self._ternary,
            "tuple_expression": self._tuple,
            "parenthesized_expression": self._parenthesized,
            "inline_array_expression": self._inline_array,
            "new_expression": self._new,
            "type_cast_expression": self._type_cast,
            "payable_conversion_expression": self._payable_conversion,
            "meta_type_expression": self._meta_type,
            "primitive_type": self._type_expr,
            "user_defined_type": self._type_expr,
            "type_name": self._type_expr,
        }
        self._stmt_handlers: dict[str, Callable[[TSNode], Stmt]] = {
            "block_statement": self._block,
            "function_body": self._block,
            "expression_statement": self._expression_statement,
            "variable_declaration_statement": self._var_decl,
            "if_statement": self._if,
            "for_statement": self._for,
            "while_statement": self._while,
            "do_while_statement": self._do_while,
            "return_statement": self._return,
            "emit_statement": self._emit,
            "revert_statement": self._revert,
            "break_statement": lambda n: self._span(Break(), n),
            "continue_statement": lambda n: self._span(Continue(), n),
            "try_statement": self._try,
            "assembly_statement": self._assembly,
        }

    # ------------------------------------------------------------------ helpers
    def text(self, node: TSNode) -> str:
        return self.src[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def _span(self, obj: N, node: TSNode) -> N:
        # inlined Node.set_span: this runs once per node of the file
        sp = node.start_point
        obj.line = sp[0] + 1
        obj.col = sp[1] + 1
        obj.end_line = node.end_point[0] + 1
        obj.start = node.start_byte
        obj.end = node.end_byte
        obj.parent = None
        return obj

    def span_of(self, node: TSNode) -> Span:
        return Span(node.start_point[0] + 1, node.end_point[0] + 1, node.start_point[1] + 1)

    def hint(self, name: str) -> None:
        self.unit.syntax_hints.add(name)

    # ------------------------------------------------------------------ top level
    def run(self, root: TSNode) -> None:
        unit = self.unit
        unit.comments = extract_comments(unit.text)
        for child in root.children:
            self._top_level(child)

    def _top_level(self, child: TSNode) -> None:
        kind = child.type
        unit = self.unit
        if kind == "pragma_directive":
            unit.pragmas.append(self._pragma(child))
        elif kind == "import_directive":
            unit.imports.append(self._import(child))
        elif kind in ("contract_declaration", "interface_declaration", "library_declaration"):
            unit.contracts.append(self._contract(child))
        elif kind == "function_definition":
            unit.functions.append(self._function(child, None))
        elif kind == "struct_declaration":
            unit.structs.append(self._struct(child))
        elif kind == "enum_declaration":
            unit.enums.append(self._enum(child))
        elif kind == "error_declaration":
            self.hint("checked")
            unit.errors.append(
                ErrorDef(self._name(child), self._params(child, "error_parameter"), _line(child))
            )
        elif kind == "event_definition":
            unit.events.append(self._event(child))
        elif kind == "constant_variable_declaration":
            unit.constants.append(self._state_variable(child))
        elif kind == "using_directive":
            unit.using_for.append(self._using(child))
        elif kind == "user_defined_type_definition":
            self.hint("checked")

    def _pragma(self, node: TSNode) -> Pragma:
        line = _line(node)
        for child in node.named_children:
            if child.type == "solidity_pragma_token":
                value = self.text(child)
                value = value[len("solidity") :].strip() if value.startswith("solidity") else value
                return Pragma("solidity", value, line)
            if child.type == "any_pragma_token":
                parts = self.text(child).split(None, 1)
                return Pragma(parts[0], parts[1] if len(parts) > 1 else "", line)
        return Pragma("unknown", self.text(node), line)

    def _import(self, node: TSNode) -> Import:
        imp = Import(path="", line=_line(node))
        pending: ImportSymbol | None = None
        star = False
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "source":
                imp.path = self.text(child).strip("\"'")
            elif field == "import_name":
                pending = ImportSymbol(self.text(child), None)
                imp.symbols.append(pending)
            elif field == "alias":
                if pending is not None:
                    pending.alias = self.text(child)
                else:
                    imp.unit_alias = self.text(child)
            elif child.type == "*":
                star = True
        if star and imp.symbols:
            imp.symbols.clear()
        return imp

    def _contract(self, node: TSNode) -> Contract:
        kind = {"interface_declaration": "interface", "library_declaration": "library"}.get(
            node.type, "contract"
        )
        abstract = False
        bases: list[InheritanceSpec] = []
        name = ""
        body: TSNode | None = None
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "name":
                name = self.text(child)
            elif field == "body":
                body = child
            elif child.type == "abstract":
                abstract = True
            elif child.type == "inheritance_specifier":
                bases.append(self._inheritance(child))
        contract = Contract(
            name=name,
            kind=kind,
            abstract=abstract,
            bases=bases,
            span=self.span_of(node),
            unit=self.unit,
        )
        previous, self.contract = self.contract, contract
        if body is not None:
            for member in body.children:
                self._contract_member(contract, member)
        self.contract = previous
        return contract

    def _inheritance(self, node: TSNode) -> InheritanceSpec:
        name = ""
        args: list[Expr] | None = None
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "ancestor":
                name = self.text(child)
            elif field == "ancestor_arguments" or child.type == "call_argument":
                args = args or []
                args.extend(self._call_argument(child)[0])
        return InheritanceSpec(name, args, _line(node))

    def _contract_member(self, contract: Contract, member: TSNode) -> None:
        kind = member.type
        if kind == "state_variable_declaration":
            var = self._state_variable(member)
            var.contract = contract
            contract.state_variables.append(var)
        elif kind in (
            "function_definition",
            "constructor_definition",
            "fallback_receive_definition",
        ):
            contract.functions.append(self._function(member, contract))
        elif kind == "modifier_definition":
            contract.modifiers.append(self._modifier(member, contract))
        elif kind == "event_definition":
            contract.events.append(self._event(member))
        elif kind == "error_declaration":
            self.hint("checked")
            contract.errors.append(
                ErrorDef(self._name(member), self._params(member, "error_parameter"), _line(member))
            )
        elif kind == "struct_declaration":
            contract.structs.append(self._struct(member))
        elif kind == "enum_declaration":
            contract.enums.append(self._enum(member))
        elif kind == "using_directive":
            contract.using_for.append(self._using(member))
        elif kind == "user_defined_type_definition":
            self.hint("checked")

    def _name(self, node: TSNode) -> str:
        name = node.child_by_field_name("name")
        return self.text(name) if name is not None else ""

    def _state_variable(self, node: TSNode) -> StateVariable:
        type_name: TypeName = TypeName.elementary("unknown")
        visibility: str | None = None
        constant = immutable = is_override = False
        name = ""
        value: Expr | None = None
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            ctype = child.type
            if field == "type":
                type_name = self._type_name(child)
            elif field == "name":
                name = self.text(child)
            elif field == "value":
                value = self.expr(child)
            elif field == "visibility" or ctype == "visibility":
                visibility = self.text(child)
            elif ctype == "constant":
                constant = True
            elif ctype == "immutable":
                immutable = True
                self.hint("modern")
            elif ctype == "override_specifier":
                is_override = True
        return StateVariable(
            name=name,
            type_name=type_name,
            visibility=visibility,
            constant=constant,
            immutable=immutable,
            value=value,
            span=self.span_of(node),
            is_override=is_override,
        )

    def _event(self, node: TSNode) -> EventDef:
        params = self._params(node, "event_parameter")
        anonymous = any(c.type == "anonymous" for c in node.children)
        return EventDef(self._name(node), params, _line(node), anonymous)

    def _struct(self, node: TSNode) -> StructDef:
        members: list[Variable] = []
        body = node.child_by_field_name("body")
        if body is not None:
            for child in body.named_children:
                if child.type == "struct_member":
                    members.append(self._variable(child, "member"))
        return StructDef(self._name(node), members, _line(node))

    def _enum(self, node: TSNode) -> EnumDef:
        values: list[str] = []
        body = node.child_by_field_name("body")
        if body is not None:
            values = [self.text(c) for c in body.named_children if c.type == "enum_value"]
        return EnumDef(self._name(node), values, _line(node))

    def _using(self, node: TSNode) -> UsingFor:
        library = ""
        functions: list[str] = []
        type_name: TypeName | None = None
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if child.type == "type_alias":
                library = self.text(child)
            elif child.type == "using_alias":
                functions.append(self.text(child))
            elif field == "source":
                type_name = None if child.type == "any_source_type" else self._type_name(child)
            elif child.type == "global":
                self.hint("checked")
        return UsingFor(library=library, type_name=type_name, line=_line(node), functions=functions)

    # ------------------------------------------------------------------ functions
    def _function(self, node: TSNode, contract: Contract | None) -> Function:
        kind = "function"
        name = ""
        if node.type == "constructor_definition":
            kind, name = "constructor", "constructor"
        elif node.type == "fallback_receive_definition":
            first = node.children[0].type if node.children else "function"
            if first == "receive":
                kind, name = "receive", "receive"
                self.hint("modern")
            elif first == "fallback":
                kind, name = "fallback", "fallback"
                self.hint("modern")
            else:  # legacy `function() payable { ... }`
                kind, name = "fallback", "fallback"
                self.hint("legacy")
        function = Function(
            name=name, params=[], body=None, span=self.span_of(node), contract=contract, kind=kind
        )
        header_end = node.start_point[0] + 1
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            ctype = child.type
            if field == "name":
                function.name = self.text(child)
            elif field == "body":
                function.body = self._block(child)
                continue
            elif ctype == "parameter":
                function.params.append(self._variable(child, "param"))
            elif field == "return_type" or ctype == "return_type_definition":
                function.returns = [
                    self._variable(p, "return")
                    for p in child.named_children
                    if p.type == "parameter"
                ]
            elif ctype == "visibility":
                function.visibility = self.text(child)
            elif ctype == "state_mutability":
                self._set_mutability(function, self.text(child))
            elif ctype in ("payable", "view", "pure"):
                self._set_mutability(function, ctype)
            elif ctype in _VISIBILITIES:
                function.visibility = ctype
            elif ctype == "virtual":
                function.virtual = True
                self.hint("modern")
            elif ctype == "override_specifier":
                function.is_override = True
                self.hint("modern")
            elif ctype == "modifier_invocation":
                self._modifier_invocation(function, child)
            header_end = child.end_point[0] + 1
        function.header_end_line = header_end
        return function

    def _set_mutability(self, function: Function, word: str) -> None:
        if word == "constant":
            function.mutability = "view"
            function.legacy_constant = True
            self.hint("legacy")
        else:
            function.mutability = word

    def _modifier_invocation(self, function: Function, node: TSNode) -> None:
        name = ""
        args: list[Expr] | None = None
        for child in node.named_children:
            if child.type == "identifier" and not name:
                name = self.text(child)
            elif child.type in ("identifier", "member_expression") and name:
                name = f"{name}.{self.text(child)}"
            elif child.type == "call_argument":
                args = args or []
                args.extend(self._call_argument(child)[0])
        if not name:
            name = self.text(node).split("(")[0].strip()
        if args is None and "(" in self.text(node):
            args = []
        if name in _MUTABILITIES:
            self._set_mutability(function, name)
        elif name in _VISIBILITIES:
            function.visibility = name
        else:
            function.modifiers.append(ModifierInvocation(name, args, _line(node)))

    def _modifier(self, node: TSNode, contract: Contract) -> Modifier:
        modifier = Modifier(
            name="", params=[], body=None, span=self.span_of(node), contract=contract
        )
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "name":
                modifier.name = self.text(child)
            elif field == "body":
                modifier.body = self._block(child)
            elif child.type == "parameter":
                modifier.params.append(self._variable(child, "param"))
            elif child.type == "virtual":
                modifier.virtual = True
            elif child.type == "override_specifier":
                modifier.is_override = True
        return modifier

    def _params(self, node: TSNode, kind: str) -> list[Variable]:
        return [self._variable(c, "param") for c in node.named_children if c.type == kind]

    def _variable(self, node: TSNode, kind: str) -> Variable:
        type_name: TypeName | None = None
        location: str | None = None
        name = ""
        indexed = False
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "type":
                type_name = self._type_name(child)
            elif field == "name":
                name = self.text(child)
            elif field == "location":
                location = self.text(child)
            elif child.type == "indexed":
                indexed = True
        if type_name is not None and type_name.kind == "elementary" and type_name.name == "var":
            type_name = None
            self.hint("legacy")
        var = self._span(Variable(name, type_name, location, kind), node)
        var.indexed = indexed
        return var

    # ------------------------------------------------------------------ types
    def _type_name(self, node: TSNode) -> TypeName:
        kind = node.type
        if kind == "primitive_type":
            return TypeName.elementary(self.text(node))
        if kind == "user_defined_type":
            return TypeName.user(self.text(node).replace(" ", ""))
        if kind == "identifier":
            return TypeName.user(self.text(node))
        children = node.children
        if not children:
            return TypeName.elementary(self.text(node))
        first = children[0]
        if first.type == "mapping":
            key = node.child_by_field_name("key_type")
            value = node.child_by_field_name("value_type")
            return TypeName(
                "mapping",
                key=self._type_name(key) if key is not None else TypeName.elementary("unknown"),
                value=self._type_name(value)
                if value is not None
                else TypeName.elementary("unknown"),
            )
        if first.type == "function":
            return TypeName("function", self.text(node))
        if len(children) >= 3 and children[1].type == "[":
            length = None
            if children[2].type != "]":
                length = self.text(children[2])
            return TypeName("array", base=self._type_name(first), length=length)
        if len(children) == 1:
            return self._type_name(first)
        return TypeName.elementary(self.text(node))

    # ------------------------------------------------------------------ statements
    def stmt(self, node: TSNode) -> Stmt:
        kind = node.type
        while kind == "statement":
            inner = _first_named(node)
            if inner is None:
                return self._span(UnknownStmt(""), node)
            node = inner
            kind = node.type
        handler = self._stmt_handlers.get(kind)
        if handler is None:
            return self._span(UnknownStmt(self.text(node)[:80]), node)
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                self._too_deep(node)
                return self._span(UnknownStmt(self.text(node)[:80]), node)
            return handler(node)
        finally:
            self.depth -= 1

    def _too_deep(self, node: TSNode) -> None:
        if not self.too_deep:
            self.too_deep = True
            self.unit.warnings.append(
                f"line {_line(node)}: code nested more than {MAX_NESTING} levels deep; "
                "the inner part was not analysed"
            )

    def _block(self, node: TSNode) -> Block:
        statements: list[Stmt] = []
        unchecked = False
        for child in node.children:
            ctype = child.type
            if ctype in ("{", "}", "comment"):
                continue
            if ctype == "unchecked":
                unchecked = True
                self.hint("checked")
                continue
            statements.append(self.stmt(child))
        return self._span(Block(statements, unchecked), node)

    def _expression_statement(self, node: TSNode) -> Stmt:
        inner = _first_named(node)
        if inner is None:
            return self._span(UnknownStmt(self.text(node)), node)
        expr = self.expr(inner)
        if isinstance(expr, Identifier) and not expr.parenthesized:
            if expr.name == "throw":
                self.hint("legacy")
                return self._span(Throw(), node)
            if expr.name == "_":
                return self._span(Placeholder(), node)
        return self._span(ExpressionStmt(expr), node)

    def _var_decl(self, node: TSNode) -> Stmt:
        variables: list[Variable | None] = []
        is_tuple = False
        value: Expr | None = None
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "value":
                value = self.expr(child)
            elif child.type == "variable_declaration":
                variables.append(self._variable(child, "local"))
            elif child.type == "variable_declaration_tuple":
                is_tuple = True
                variables = self._tuple_variables(child)
        return self._span(VarDecl(variables, value, is_tuple), node)

    def _tuple_variables(self, node: TSNode) -> list[Variable | None]:
        slots: list[Variable | None] = [None]
        legacy_var = False
        for child in node.children:
            ctype = child.type
            if ctype == ",":
                slots.append(None)
            elif ctype == "var":
                legacy_var = True
                self.hint("legacy")
            elif ctype == "variable_declaration":
                slots[-1] = self._variable(child, "local")
            elif ctype == "identifier" and legacy_var:
                slots[-1] = self._span(Variable(self.text(child), None, None, "local"), child)
        return slots

    def _if(self, node: TSNode) -> Stmt:
        cond: Expr | None = None
        bodies: list[Stmt] = []
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "condition":
                cond = self.expr(child)
            elif field == "body":
                bodies.append(self.stmt(child))
        if cond is None:
            cond = self._span(UnknownExpr(""), node)
        then = bodies[0] if bodies else self._span(Block([]), node)
        otherwise = bodies[1] if len(bodies) > 1 else None
        return self._span(If(cond, then, otherwise), node)

    def _for(self, node: TSNode) -> Stmt:
        init: Stmt | None = None
        cond: Expr | None = None
        update: Expr | None = None
        body: Stmt | None = None
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "initial":
                init = self.stmt(child)
            elif field == "condition":
                inner = _first_named(child) if child.type == "expression_statement" else child
                if inner is not None:
                    cond = self.expr(inner)
            elif field == "update":
                update = self.expr(child)
            elif field == "body":
                body = self.stmt(child)
        return self._span(For(init, cond, update, body or self._span(Block([]), node)), node)

    def _while(self, node: TSNode) -> Stmt:
        cond = node.child_by_field_name("condition")
        body = node.child_by_field_name("body")
        return self._span(
            While(
                self.expr(cond) if cond is not None else self._span(UnknownExpr(""), node),
                self.stmt(body) if body is not None else self._span(Block([]), node),
            ),
            node,
        )

    def _do_while(self, node: TSNode) -> Stmt:
        cond = node.child_by_field_name("condition")
        body = node.child_by_field_name("body")
        return self._span(
            DoWhile(
                self.stmt(body) if body is not None else self._span(Block([]), node),
                self.expr(cond) if cond is not None else self._span(UnknownExpr(""), node),
            ),
            node,
        )

    def _return(self, node: TSNode) -> Stmt:
        inner = _first_named(node)
        return self._span(Return(self.expr(inner) if inner is not None else None), node)

    def _emit(self, node: TSNode) -> Stmt:
        callee: Expr | None = None
        args: list[Expr] = []
        names: list[str] | None = None
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "name":
                callee = self.expr(child)
            elif child.type == "call_argument":
                exprs, arg_names = self._call_argument(child)
                args.extend(exprs)
                if arg_names:
                    names = (names or []) + arg_names
        if callee is None:
            callee = self._span(UnknownExpr(""), node)
        call = self._span(Call(callee, args, names), node)
        call.kind = "event"
        return self._span(Emit(call), node)

    def _revert(self, node: TSNode) -> Stmt:
        error: Expr | None = None
        args: list[Expr] = []
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "error":
                error = self.expr(child)
            elif child.type == "revert_arguments":
                for arg in child.named_children:
                    if arg.type == "call_argument":
                        args.extend(self._call_argument(arg)[0])
        if error is not None and error.parenthesized:
            # `revert("reason")` reads as revert applied to a parenthesised string
            error.parenthesized = False
            args = [error, *args]
            error = None
        elif error is not None:
            self.hint("checked")
        return self._span(Revert(error, args), node)

    def _try(self, node: TSNode) -> Stmt:
        call: Expr | None = None
        returns: list[Variable] = []
        body: Block | None = None
        catches: list[CatchClause] = []
        self.hint("modern")
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "attempt":
                call = self.expr(child)
            elif field == "body":
                body = self._block(child)
            elif child.type == "parameter":
                returns.append(self._variable(child, "local"))
            elif child.type == "catch_clause":
                catches.append(self._catch(child))
        return self._span(
            Try(
                call or self._span(UnknownExpr(""), node),
                returns,
                body or self._span(Block([]), node),
                catches,
            ),
            node,
        )

    def _catch(self, node: TSNode) -> CatchClause:
        kind: str | None = None
        params: list[Variable] = []
        body: Block | None = None
        for i, child in enumerate(node.children):
            field = node.field_name_for_child(i)
            if field == "body":
                body = self._block(child)
            elif child.type == "identifier":
                kind = self.text(child)
            elif child.type == "parameter":
                params.append(self._variable(child, "local"))
        return self._span(CatchClause(kind, params, body or self._span(Block([]), node)), node)

    def _assembly(self, node: TSNode) -> Stmt:
        calls: list[YulCall] = []
        identifiers: set[str] = set()
        stack = list(reversed(node.children))
        while stack:
            child = stack.pop()
            ctype = child.type
            if ctype == "yul_function_call":
                fn = child.child_by_field_name("function")
                name = self.text(fn) if fn is not None else ""
                args = [self.text(a) for a in child.named_children if a.id != (fn.id if fn else -1)]
                calls.append(YulCall(name, args, _line(child)))
            elif ctype in {"yul_identifier", "identifier"}:
                identifiers.add(self.text(child))
                continue
            stack.extend(reversed(child.children))
        return self._span(Assembly(self.text(node), calls, identifiers), node)

    # ------------------------------------------------------------------ expressions
    def expr(self, node: TSNode) -> Expr:
        kind = node.type
        while kind == "expression":
            inner: TSNode | None = node.named_child(0)
            if inner is not None and inner.type == "comment":
                inner = _first_named(node)
            if inner is None:
                return self._span(UnknownExpr(self.text(node)), node)
            node = inner
            kind = node.type
        handler = self._expr_handlers.get(kind)
        if handler is None:
            return self._span(UnknownExpr(self.text(node)), node)
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                self._too_deep(node)
                return self._span(UnknownExpr(self.text(node)[:80]), node)
            return handler(node)
        finally:
            self.depth -= 1

    def _identifier(self, node: TSNode) -> Expr:
        name = self.text(node)
        if name in _LEGACY_IDENTIFIERS:
            self.hint("legacy")
        return self._span(Identifier(name), node)

    def _literal(self, node: TSNode, kind: str) -> Expr:
        return self._span(Literal(kind, self.text(node)), node)

    def _number(self, node: TSNode) -> Expr:
        unit: str | None = None
        value_end = node.end_byte
        for child in node.children:
            if child.type == "number_unit":
                unit = self.text(child)
                value_end = child.start_byte
                if unit == "years":
                    self.hint("legacy")
        value = self.src[node.start_byte : value_end].decode("utf-8", "replace").strip()
        return self._span(Literal("number", value, unit), node)

    def _string(self, node: TSNode) -> Expr:
        return self._span(Literal("string", self.text(node)), node)

    def _member(self, node: TSNode) -> Expr:
        obj = node.child_by_field_name("object")
        prop = node.child_by_field_name("property")
        base = self.expr(obj) if obj is not None else self._span(UnknownExpr(""), node)
        member = self.text(prop) if prop is not None else ""
        expr = self._span(Member(base, member), node)
        if isinstance(base, Identifier) and (
            (base.name == "msg" and member == "gas")
            or (base.name == "block" and member == "blockhash")
        ):
            self.hint("legacy")
        if (
            member in ("value", "gas")
            and isinstance(base, Member)
            and base.member in ("call", "delegatecall", "callcode")
        ):
            self.hint("legacy")
        return attach_postfix(expr)

    def _index(self, node: TSNode) -> Expr:
        base_node = node.child_by_field_name("base")
        index_node = node.child_by_field_name("index")
        base = self.expr(base_node) if base_node is not None else self._span(UnknownExpr(""), node)
        index = self.expr(index_node) if index_node is not None else None
        return attach_postfix(self._span(Index(base, index), node))

    def _slice(self, node: TSNode) -> Expr:
        base_node = node.child_by_field_name("base")
        start = node.child_by_field_name("from")
        end = node.child_by_field_name("to")
        base = self.expr(base_node) if base_node is not None else self._span(UnknownExpr(""), node)
        expr = Slice(
            base,
            self.expr(start) if start is not None else None,
            self.expr(end) if end is not None else None,
        )
        return attach_postfix(self._span(expr, node))

    def _call_argument(self, node: TSNode) -> tuple[list[Expr], list[str]]:
        """Arguments in one ``call_argument`` node: plain expressions or ``{name: value}``."""
        exprs: list[Expr] = []
        names: list[str] = []
        for child in node.named_children:
            if child.type == "call_struct_argument":
                name_node = child.child_by_field_name("name")
                value_node = child.child_by_field_name("value")
                names.append(self.text(name_node) if name_node is not None else "")
                exprs.append(
                    self.expr(value_node)
                    if value_node is not None
                    else self._span(UnknownExpr(""), child)
                )
            elif child.type != "comment":
                exprs.append(self.expr(child))
        return exprs, names

    def _call(self, node: TSNode) -> Expr:
        fn = node.child_by_field_name("function")
        callee = self.expr(fn) if fn is not None else self._span(UnknownExpr(""), node)
        args: list[Expr] = []
        names: list[str] = []
        for child in node.children:
            if child.type == "call_argument":
                exprs, arg_names = self._call_argument(child)
                args.extend(exprs)
                names.extend(arg_names)
        call = self._span(Call(callee, args, names or None), node)
        return attach_postfix(call)

    def _call_options(self, node: TSNode) -> Expr:
        base_node = node.child_by_field_name("type")
        base = self.expr(base_node) if base_node is not None else self._span(UnknownExpr(""), node)
        options: dict[str, Expr] = {}
        for child in node.named_children:
            if child.type == "struct_field_assignment":
                name_node = child.child_by_field_name("name")
                value_node = child.child_by_field_name("value")
                if name_node is not None and value_node is not None:
                    options[self.text(name_node)] = self.expr(value_node)
        self.hint("modern")
        return attach_postfix(self._span(CallOptions(base, options), node))

    def _binary(self, node: TSNode) -> Expr:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        if left is not None and right is not None and op is not None and op.type == "+":
            repaired = self._legacy_unary_plus(node, left, op, right)
            if repaired is not None:
                return repaired
        binary = Binary(
            op.type if op is not None else "?",
            self.expr(left) if left is not None else self._span(UnknownExpr(""), node),
            self.expr(right) if right is not None else self._span(UnknownExpr(""), node),
        )
        return attach_binary(self._span(binary, node))

    def _legacy_unary_plus(
        self, node: TSNode, left: TSNode, op: TSNode, right: TSNode
    ) -> Expr | None:
        """``x = +y`` / ``x =+ y`` (unary plus, legal before 0.5): the grammar has no
        unary ``+`` and reads ``x (ERROR =) + y``; rebuild the assignment."""
        errors = [c for c in node.children if c.type == "ERROR"]
        if len(errors) != 1 or self.text(errors[0]).strip() != "=":
            return None
        if not left.end_byte <= errors[0].start_byte < op.start_byte:
            return None
        self.unit.repaired_errors.add(errors[0].start_byte)
        value = Unary("+", self.expr(right))
        sp = op.start_point
        value.set_span(sp[0] + 1, sp[1] + 1, right.end_point[0] + 1, op.start_byte, right.end_byte)
        return self._span(Assignment("=", self.expr(left), value), node)

    def _unary(self, node: TSNode) -> Expr:
        op = node.child_by_field_name("operator")
        arg = node.child_by_field_name("argument")
        return self._span(
            Unary(
                op.type if op is not None else "?",
                self.expr(arg) if arg is not None else self._span(UnknownExpr(""), node),
            ),
            node,
        )

    def _update(self, node: TSNode) -> Expr:
        op = node.child_by_field_name("operator")
        arg = node.child_by_field_name("argument")
        prefix = op is not None and arg is not None and op.start_byte < arg.start_byte
        expr = Update(
            op.type if op is not None else "++",
            self.expr(arg) if arg is not None else self._span(UnknownExpr(""), node),
            prefix,
        )
        return attach_postfix(self._span(expr, node))

    def _assignment(self, node: TSNode) -> Expr:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = "="
        for child in node.children:
            if not child.is_named and child.type.endswith("="):
                op = child.type
                break
        return self._span(
            Assignment(
                op,
                self.expr(left) if left is not None else self._span(UnknownExpr(""), node),
                self.expr(right) if right is not None else self._span(UnknownExpr(""), node),
            ),
            node,
        )

    def _ternary(self, node: TSNode) -> Expr:
        parts = [c for c in node.named_children if c.type != "comment"]
        exprs = [self.expr(p) for p in parts[:3]]
        while len(exprs) < 3:
            exprs.append(self._span(UnknownExpr(""), node))
        return attach_conditional(self._span(Conditional(exprs[0], exprs[1], exprs[2]), node))

    def _tuple(self, node: TSNode) -> Expr:
        elements: list[Expr | None] = [None]
        for child in node.children:
            ctype = child.type
            if ctype == ",":
                elements.append(None)
            elif child.is_named and ctype != "comment":
                elements[-1] = self.expr(child)
        if elements == [None]:
            elements = []
        return self._span(TupleExpr(elements), node)

    def _parenthesized(self, node: TSNode) -> Expr:
        inner = _first_named(node)
        if inner is None:
            return self._span(TupleExpr([]), node)
        expr = self.expr(inner)
        if expr.parenthesized:
            return expr
        expr.parenthesized = True
        expr.line, expr.col = node.start_point[0] + 1, node.start_point[1] + 1
        expr.start, expr.end, expr.end_line = node.start_byte, node.end_byte, node.end_point[0] + 1
        return expr

    def _inline_array(self, node: TSNode) -> Expr:
        return self._span(
            InlineArray([self.expr(c) for c in node.named_children if c.type != "comment"]), node
        )

    def _new(self, node: TSNode) -> Expr:
        name = node.child_by_field_name("name")
        type_name = self._type_name(name) if name is not None else TypeName.user("unknown")
        return self._span(New(type_name), node)

    def _type_cast(self, node: TSNode) -> Expr:
        type_node: TSNode | None = None
        args: list[Expr] = []
        for child in node.named_children:
            if child.type == "call_argument":
                args.extend(self._call_argument(child)[0])
            elif type_node is None and child.type != "comment":
                type_node = child
        type_name = (
            self._type_name(type_node) if type_node is not None else TypeName.user("unknown")
        )
        callee = self._span(TypeExpr(type_name), type_node or node)
        call = self._span(Call(callee, args), node)
        call.kind = "conversion"
        return attach_postfix(call)

    def _payable_conversion(self, node: TSNode) -> Expr:
        args: list[Expr] = []
        for child in node.named_children:
            if child.type == "call_argument":
                args.extend(self._call_argument(child)[0])
            elif child.type != "comment":
                args.append(self.expr(child))
        self.hint("modern")
        callee = self._span(TypeExpr(TypeName.elementary("address payable")), node)
        call = self._span(Call(callee, args), node)
        call.kind = "conversion"
        return attach_postfix(call)

    def _meta_type(self, node: TSNode) -> Expr:
        inner = next((c for c in node.named_children if c.type != "comment"), None)
        type_name = self._type_name(inner) if inner is not None else TypeName.user("unknown")
        return self._span(MetaType(type_name), node)

    def _type_expr(self, node: TSNode) -> Expr:
        return self._span(TypeExpr(self._type_name(node)), node)


def _first_named(node: TSNode) -> TSNode | None:
    for child in node.named_children:
        if child.type != "comment":
            return child
    return None


def _line(node: TSNode) -> int:
    return int(node.start_point[0]) + 1
