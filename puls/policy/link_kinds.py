"""Policy objects other apps may link to (DESIGN §2.1): a dialogue theme to the value or policy it
shaped, an action to the initiative or the Værdivejen answer it came from."""

import uuid
from typing import Any

from puls.core.links import LinkableKind, link_kind_register
from puls.policy.models import PolicyNode, ValueWalk, WalkAnswer, WalkStop

NODE_KIND = "policy.node"
WALK_KIND = "policy.walk"
WALK_ANSWER_KIND = "policy.walk_answer"


def _resolve_node(organisation: Any, object_id: uuid.UUID) -> PolicyNode | None:
    return PolicyNode.objects.filter(organisation=organisation, pk=object_id).first()


def _describe_node(node: PolicyNode, detail: dict[str, Any]) -> str:
    return f"{node.get_kind_display()}: {node.title}"


def _resolve_walk(organisation: Any, object_id: uuid.UUID) -> ValueWalk | None:
    return ValueWalk.objects.filter(organisation=organisation, pk=object_id).first()


def _resolve_walk_answer(organisation: Any, object_id: uuid.UUID) -> WalkAnswer | None:
    return (
        WalkAnswer.objects.filter(walk__organisation=organisation, pk=object_id)
        .select_related("walk", "value")
        .first()
    )


def _describe_walk_answer(answer: WalkAnswer, detail: dict[str, Any]) -> str:
    return f"{answer.walk.title} – {answer.value.title} – {WalkStop(answer.stop).label}: {answer.text}"


link_kind_register(
    LinkableKind(name=NODE_KIND, label="Policy", resolve=_resolve_node, describe=_describe_node)
)
link_kind_register(LinkableKind(name=WALK_KIND, label="Værdivejen", resolve=_resolve_walk))
link_kind_register(
    LinkableKind(
        name=WALK_ANSWER_KIND,
        label="Værdivejen answer",
        resolve=_resolve_walk_answer,
        describe=_describe_walk_answer,
    )
)
