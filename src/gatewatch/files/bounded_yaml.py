"""YAML read within bounds: size, text, nesting, aliases and the nodes they would expand to.

A YAML alias reuses a node already written, so a few hundred bytes of aliases to aliases (the
"billion laughs") stand for hundreds of millions of values; whatever walks the loaded data then
runs for minutes. The document is first composed into nodes (an alias stays one shared node, so
this is as fast as the text is long), the nodes are measured against the bounds, and only a
document within them is turned into Python values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class YamlLimits:
    """How much a YAML file may hold. ``max_bytes=None`` reads a file of any size."""

    max_bytes: int | None
    max_nodes: int
    max_aliases: int
    max_depth: int
    max_text: int


class YamlRefused(Exception):
    """Text that is not YAML, or YAML beyond a bound: the problem, in words, without the file."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def load_bounded(text: str, limits: YamlLimits) -> Any:
    """The one YAML document in ``text``, refused with YamlRefused when beyond ``limits``."""
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as error:
            raise YamlRefused(_described(error)) from None
        if root is None:
            return None
        _Measure(limits).check(root)
        try:
            return loader.construct_document(root)
        except yaml.YAMLError as error:
            raise YamlRefused(_described(error)) from None
        except ValueError as error:  # a date written unquoted that names no day: 1940-02-30
            raise YamlRefused(_bad_value(root, error)) from None
    finally:
        loader.dispose()


def _described(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(error, "problem", None) or str(error)
    return f"not valid YAML{where} ({problem})"


def _bad_value(root: Node, error: ValueError) -> str:
    """Where a value YAML could not build is, and why: the first date that names no day."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader("").construct_yaml_timestamp(node)
            except ValueError as why:
                return f"{node.value!r} at {_at(node)} is not a date of the calendar ({why})"
        stack.extend(reversed(_children(node)))
    return f"a value that cannot be read ({error})"


def _at(node: Node) -> str:
    mark = node.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class _Measure:
    """One walk over the composed nodes: every bound is checked before any value is built.

    A node met again is an alias (named by the list or mapping that holds it): it is counted as
    one alias and adds its whole expanded size (worked out once, kept by node) to the count.
    """

    def __init__(self, limits: YamlLimits) -> None:
        self.limits = limits
        self.expanded: dict[int, int] = {}
        self.aliases = 0

    def check(self, root: Node) -> None:
        """Walk the nodes depth first without recursion; refuse at the first bound passed."""
        open_nodes: set[int] = set()
        pending: list[tuple[Node, Node, int, bool]] = [(root, root, 1, False)]
        while pending:
            node, parent, depth, finished = pending.pop()
            if finished:
                open_nodes.discard(id(node))
                self._total(node)
                continue
            if id(node) in open_nodes:
                raise YamlRefused(f"{_at(parent)}: an alias refers to a node that contains it (a recursive alias)")
            if id(node) in self.expanded:
                self._alias(parent)
                continue
            self._node(node, depth)
            if isinstance(node, ScalarNode):
                self.expanded[id(node)] = 1
                continue
            open_nodes.add(id(node))
            pending.append((node, parent, depth, True))
            pending.extend((child, node, depth + 1, False) for child in reversed(_children(node)))
        self._nodes(self.expanded[id(root)], root)

    def _node(self, node: Node, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise YamlRefused(f"{_at(node)}: nested more than {self.limits.max_depth} levels deep")
        if isinstance(node, ScalarNode) and len(node.value) > self.limits.max_text:
            raise YamlRefused(
                f"{_at(node)}: a text of {len(node.value):,} characters (at most {self.limits.max_text:,})"
            )

    def _alias(self, holder: Node) -> None:
        """One more alias, in ``holder`` (an alias has no place of its own once composed)."""
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            raise YamlRefused(f"{_at(holder)}: more than {self.limits.max_aliases:,} aliases")

    def _total(self, node: Node) -> None:
        total = 1 + sum(self.expanded[id(child)] for child in _children(node))
        self._nodes(total, node)
        self.expanded[id(node)] = total

    def _nodes(self, total: int, node: Node) -> None:
        if total > self.limits.max_nodes:
            raise YamlRefused(
                f"{_at(node)}: aliases expand to more than {self.limits.max_nodes:,} values"
                if self.aliases
                else f"{_at(node)}: more than {self.limits.max_nodes:,} values"
            )
