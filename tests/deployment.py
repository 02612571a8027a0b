"""What deploy/ declares, read into plain data, and the checks test_deploy.py runs over it.

Every check returns the problems it found (an empty list: none), so the tests can also prove
that each check fails on a broken copy of the manifests.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

from switchboard.cli.main import _parser
from switchboard.core.service import ServiceSpec, service_specs

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "docker-compose.yml"
KUBERNETES = DEPLOY / "kubernetes"
IMAGE = "switchboard"  # the image built from deploy/Dockerfile, as the manifests name it
DEPLOYED_COMMANDS = {"serve", "worker", "migrate"}
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job"}


@dataclass
class Container:
    """One container of the image: where it is declared and what it runs."""

    origin: str
    argv: list[str]  # the arguments of `switchboard`
    ports: dict[str, int] = field(default_factory=dict)  # name (or str(port)) -> port
    probes: dict[str, Any] = field(default_factory=dict)  # livenessProbe, readinessProbe...
    spec: dict[str, Any] = field(default_factory=dict)  # the manifest's own declaration


# --- reading ---------------------------------------------------------------------------------


def specs() -> dict[str, ServiceSpec]:
    return {spec.name: spec for spec in service_specs()}


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    logical = "\n".join(lines).replace("\\\n", " ")
    found: list[tuple[str, str]] = []
    for line in logical.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (name, _) in enumerate(instructions) if name == "FROM"]
    return instructions[starts[-1] :]


def exec_form(arguments: str) -> list[str] | None:
    """The JSON list of an ENTRYPOINT/CMD, or None when written in shell form."""
    try:
        value = json.loads(arguments)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, list) else None


def dockerfile_container(text: str) -> Container:
    stage = dict(final_stage(dockerfile_instructions(text)))
    return Container(
        origin="deploy/Dockerfile CMD",
        argv=exec_form(stage.get("CMD", "")) or [],
        spec={"ENTRYPOINT": exec_form(stage.get("ENTRYPOINT", "")), "USER": stage.get("USER")},
    )


def load_compose(path: Path = COMPOSE) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text())
    return document


def is_built_here(service: dict[str, Any]) -> bool:
    build = service.get("build")
    return isinstance(build, dict) and build.get("dockerfile") == "deploy/Dockerfile"


def compose_containers(document: dict[str, Any], image_cmd: list[str]) -> list[Container]:
    containers = []
    for name, service in document["services"].items():
        if not is_built_here(service):
            continue
        command = service.get("command", image_cmd)
        argv = shlex.split(command) if isinstance(command, str) else list(command)
        containers.append(Container(origin=f"compose service {name}", argv=argv, spec=service))
    return containers


def load_manifests(directory: Path = KUBERNETES) -> list[tuple[str, dict[str, Any]]]:
    """(file name, document) of every Kubernetes object under ``directory``."""
    found: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        found.extend((path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc)
    return found


def pod_spec(document: dict[str, Any]) -> dict[str, Any] | None:
    if document.get("kind") not in POD_TEMPLATE_KINDS:
        return None
    spec: dict[str, Any] = document["spec"]["template"]["spec"]
    return spec


def kubernetes_containers(manifests: list[tuple[str, dict[str, Any]]]) -> list[Container]:
    containers = []
    for file, document in manifests:
        pod = pod_spec(document)
        for container in (pod or {}).get("containers", []):
            if container["image"].rsplit(":", 1)[0].rsplit("/", 1)[-1] != IMAGE:
                continue
            containers.append(
                Container(
                    origin=f"{file} {document['kind']}/{document['metadata']['name']}"
                    f" container {container['name']}",
                    argv=switchboard_argv(container),
                    ports={
                        port.get("name", str(port["containerPort"])): port["containerPort"]
                        for port in container.get("ports", [])
                    },
                    probes={k: v for k, v in container.items() if k.endswith("Probe")},
                    spec=container,
                )
            )
    return containers


def switchboard_argv(container: dict[str, Any]) -> list[str]:
    """The arguments of `switchboard`: after the image's entry point, or after a ``command``
    that names it (any other command is kept whole, and no switchboard command parses it)."""
    command = container.get("command", [])
    prefix = command[1:] if command[:1] == ["switchboard"] else command
    return [*prefix, *container.get("args", [])]


def objects(manifests: list[tuple[str, dict[str, Any]]], kind: str) -> list[dict[str, Any]]:
    return [document for _, document in manifests if document.get("kind") == kind]


# --- checks ----------------------------------------------------------------------------------


def parse_command(argv: list[str]) -> tuple[argparse.Namespace | None, str]:
    """``switchboard <argv>`` as the real parser reads it, or None and its complaint."""
    complaint = io.StringIO()
    with contextlib.redirect_stderr(complaint), contextlib.redirect_stdout(complaint):
        try:
            return _parser().parse_args(argv), ""
        except SystemExit:
            return None, complaint.getvalue().strip().splitlines()[-1]


def command_problems(argv: list[str]) -> list[str]:
    """Why ``switchboard <argv>`` is not a command a deployed container should run."""
    args, complaint = parse_command(argv)
    if args is None:
        return [f"switchboard {shlex.join(argv)}: {complaint}"]
    if args.command not in DEPLOYED_COMMANDS:
        return [f"switchboard {args.command}: not a command to deploy ({DEPLOYED_COMMANDS})"]
    if args.command == "migrate":
        return []
    spec = specs().get(args.service)
    if spec is None:
        return [f"switchboard {shlex.join(argv)}: no service {args.service!r}"]
    if args.command == "worker" and spec.worker is None:
        return [f"switchboard {shlex.join(argv)}: {spec.name} has no worker"]
    if args.command == "serve" and args.host != "0.0.0.0":
        return [f"switchboard {shlex.join(argv)}: binds {args.host}, unreachable from outside"]
    return []


def role(argv: list[str]) -> str:
    """``serve chat``, ``worker routing``, ``migrate``: what a container is for."""
    args, _ = parse_command(argv)
    assert args is not None, argv
    return " ".join([args.command, *([args.service] if hasattr(args, "service") else [])])


def served_port(argv: list[str]) -> int:
    args, _ = parse_command(argv)
    assert args is not None and args.command == "serve", argv
    return int(args.port or specs()[args.service].default_port)


def probe_problems(container: Container) -> list[str]:
    """A served container is alive at /healthz and ready at /readyz, on the port it serves."""
    port = served_port(container.argv)
    problems = []
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        http = container.probes.get(probe, {}).get("httpGet")
        if http is None:
            problems.append(f"{container.origin}: no HTTP {probe}")
            continue
        if http.get("path") != path:
            problems.append(f"{container.origin}: {probe} asks {http.get('path')}, not {path}")
        target = http.get("port")
        target = container.ports.get(target) if isinstance(target, str) else target
        if target != port:
            problems.append(f"{container.origin}: {probe} on port {target}, serving on {port}")
    if port not in container.ports.values():
        problems.append(f"{container.origin}: serves on {port}, declares {container.ports}")
    return problems


def resource_problems(container: Container) -> list[str]:
    resources_ = container.spec.get("resources", {})
    return [
        f"{container.origin}: no {bound}.{resource}"
        for bound in ("requests", "limits")
        for resource in ("cpu", "memory")
        if resource not in resources_.get(bound, {})
    ]


@cache
def _compose_schema() -> dict[str, Any]:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema: dict[str, Any] = json.loads(vendored.read_text())
    return schema


def compose_schema_errors(document: dict[str, Any]) -> list[str]:
    """The compose spec's complaints, from the schema check-jsonschema vendors."""
    validator = jsonschema.Draft202012Validator(_compose_schema())
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def kubernetes_errors(document: dict[str, Any], version: str) -> list[str]:
    """kubernetes-validate's complaints against its bundled strict schemas of ``version``."""
    try:
        kubernetes_validate.validate(document, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        where = "/".join(map(str, error.absolute_path))
        return [f"{document['kind']}/{document['metadata']['name']} {where}: {error.message}"]
    except kubernetes_validate.SchemaNotFoundError as error:
        return [error.message]
    return []


def url_host_port(url: str) -> tuple[str, int]:
    match = re.fullmatch(r"http://([a-z0-9-]+):(\d+)/?", url)
    assert match, f"{url} is not http://<host>:<port>"
    return match.group(1), int(match.group(2))


def service_urls(environment: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """(setting, service, url) of every SB_<SERVICE>_URL in ``environment``."""
    for setting, url in environment.items():
        match = re.fullmatch(r"SB_([A-Z]+)_URL", setting)
        if match and match.group(1).lower() in specs():
            yield setting, match.group(1).lower(), url
