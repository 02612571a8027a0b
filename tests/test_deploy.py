"""deploy/ holds together without a container engine: the compose file and the Kubernetes
manifests follow their schemas, every container runs a `switchboard` command that exists,
probes and URLs point where the services listen, and no secret is written down."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import yaml

from switchboard.core.settings import Settings

from .deployment import (
    DOCKERFILE,
    KUBERNETES,
    Container,
    command_problems,
    compose_containers,
    compose_schema_errors,
    dockerfile_container,
    dockerfile_instructions,
    kubernetes_containers,
    kubernetes_errors,
    load_compose,
    load_manifests,
    objects,
    probe_problems,
    resource_problems,
    role,
    served_port,
    service_urls,
    specs,
    url_host_port,
)

# The oldest Kubernetes the manifests promise to run on, and a recent one.
KUBERNETES_VERSIONS = ("1.30", "1.35")
MANIFESTS = load_manifests()
COMPOSE_FILE = load_compose()
IMAGE_CONTAINER = dockerfile_container(DOCKERFILE.read_text())
COMPOSE_CONTAINERS = compose_containers(COMPOSE_FILE, IMAGE_CONTAINER.argv)
KUBERNETES_CONTAINERS = kubernetes_containers(MANIFESTS)
EXPECTED_ROLES = {
    *(f"serve {name}" for name in specs()),
    *(f"worker {name}" for name, spec in specs().items() if spec.worker),
    "migrate",
}


def served(containers: list[Container]) -> list[Container]:
    return [c for c in containers if c.argv[:1] == ["serve"]]


def secret_refs(container: dict[str, Any]) -> set[str]:
    return {
        source["secretRef"]["name"]
        for source in container.get("envFrom", [])
        if "secretRef" in source
    }


# --- schemas -------------------------------------------------------------------------------


def test_the_compose_file_follows_the_compose_spec() -> None:
    assert compose_schema_errors(COMPOSE_FILE) == []


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_kubernetes_object_follows_the_kubernetes_schemas(version: str) -> None:
    assert MANIFESTS, "no manifests under deploy/kubernetes"
    assert [error for _, doc in MANIFESTS for error in kubernetes_errors(doc, version)] == []


def test_the_kustomization_applies_every_manifest_but_the_example_secret() -> None:
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    files = {path.name for path in KUBERNETES.glob("*.yaml")}
    assert set(kustomization["resources"]) == files - {"kustomization.yaml", "secret.example.yaml"}


# --- commands --------------------------------------------------------------------------------


def test_the_image_runs_switchboard_as_a_user_that_is_not_root() -> None:
    assert IMAGE_CONTAINER.spec["ENTRYPOINT"] == ["switchboard"]
    assert command_problems(IMAGE_CONTAINER.argv) == []
    user = IMAGE_CONTAINER.spec["USER"] or ""
    assert re.fullmatch(r"[1-9]\d*(:\d+)?", user), f"USER {user!r}: numeric and not root"
    instructions = dockerfile_instructions(DOCKERFILE.read_text())
    syncs = [args for _, args in instructions if "uv sync" in args]
    assert syncs and all("--frozen" in args and "--no-dev" in args for args in syncs)


@pytest.mark.parametrize(
    "containers", [COMPOSE_CONTAINERS, KUBERNETES_CONTAINERS], ids=["compose", "kubernetes"]
)
def test_every_container_runs_a_command_switchboard_knows(containers: list[Container]) -> None:
    assert containers
    assert [problem for c in containers for problem in command_problems(c.argv)] == []


@pytest.mark.parametrize(
    "containers", [COMPOSE_CONTAINERS, KUBERNETES_CONTAINERS], ids=["compose", "kubernetes"]
)
def test_every_service_and_worker_runs_and_the_migrations_too(containers: list[Container]) -> None:
    assert {role(c.argv) for c in containers} == EXPECTED_ROLES


# --- Kubernetes --------------------------------------------------------------------------------


def test_kubernetes_probes_ask_healthz_and_readyz_on_the_served_port() -> None:
    assert [problem for c in served(KUBERNETES_CONTAINERS) for problem in probe_problems(c)] == []


def test_every_kubernetes_container_has_resource_requests_and_limits() -> None:
    assert [problem for c in KUBERNETES_CONTAINERS for problem in resource_problems(c)] == []


def test_kubernetes_services_find_each_other_through_the_config_map() -> None:
    (config,) = objects(MANIFESTS, "ConfigMap")
    urls = list(service_urls(config["data"]))
    assert {service for _, service, _ in urls} == set(specs())
    services = {s["metadata"]["name"]: s for s in objects(MANIFESTS, "Service")}
    deployments = objects(MANIFESTS, "Deployment")
    for setting, name, url in urls:
        host, port = url_host_port(url)
        assert host in services, f"{setting}: no Service {host}"
        (service_port,) = [p for p in services[host]["spec"]["ports"] if p["port"] == port]
        pods = [
            d
            for d in deployments
            if services[host]["spec"]["selector"].items()
            <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        (container,) = kubernetes_containers([("", pod) for pod in pods])
        assert role(container.argv) == f"serve {name}", f"{setting}: {container.origin}"
        target = service_port["targetPort"]
        assert container.ports.get(target, target) == served_port(container.argv), setting


def test_the_token_secret_comes_from_a_kubernetes_secret_only() -> None:
    secret_names = {"switchboard"}
    for container in KUBERNETES_CONTAINERS:
        assert secret_refs(container.spec) == secret_names, container.origin
        assert "SB_JWT_SECRET" not in {env["name"] for env in container.spec.get("env", [])}
    for config in objects(MANIFESTS, "ConfigMap"):
        assert not any("SECRET" in key or "DATABASE_URL" in key for key in config["data"])
    (example,) = objects(MANIFESTS, "Secret")  # secret.example.yaml, which kustomize skips
    assert example["metadata"]["name"] in secret_names
    assert set(example["stringData"].values()) == {""}, "the example Secret holds no value"


def test_every_setting_named_in_deploy_is_a_setting() -> None:
    known = {f"SB_{name.upper()}" for name in Settings.model_fields}
    named = set(COMPOSE_FILE["x-switchboard"]["environment"])
    for config in objects(MANIFESTS, "ConfigMap"):
        named |= set(config["data"])
    for secret in objects(MANIFESTS, "Secret"):
        named |= set(secret["stringData"])
    assert named - known == set()


def test_the_ingress_sends_public_paths_to_the_gateway_with_room_for_websockets() -> None:
    (ingress,) = objects(MANIFESTS, "Ingress")
    backends = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"switchboard-gateway"}
    paths = {path["path"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]}
    assert "/v1" in paths and "/metrics" not in paths and "/" not in paths
    annotations = ingress["metadata"]["annotations"]
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(annotations[f"nginx.ingress.kubernetes.io/{timeout}"]) >= 3600


def test_the_gateway_and_chat_scale_with_a_horizontal_pod_autoscaler() -> None:
    deployments = {d["metadata"]["name"]: d for d in objects(MANIFESTS, "Deployment")}
    scaled = set()
    for autoscaler in objects(MANIFESTS, "HorizontalPodAutoscaler"):
        assert autoscaler["apiVersion"] == "autoscaling/v2"
        target = deployments[autoscaler["spec"]["scaleTargetRef"]["name"]]
        assert "replicas" not in target["spec"], "the autoscaler owns the replica count"
        (container,) = kubernetes_containers([("", target)])
        scaled.add(role(container.argv))
    assert scaled == {"serve gateway", "serve chat"}


# --- compose ---------------------------------------------------------------------------------


def test_compose_health_checks_ask_readyz_on_the_served_port() -> None:
    for container in served(COMPOSE_CONTAINERS):
        test = " ".join(container.spec["healthcheck"]["test"])
        assert f"http://127.0.0.1:{served_port(container.argv)}/readyz" in test, container.origin


def test_compose_services_find_each_other_and_only_the_gateway_is_published() -> None:
    by_role = {role(c.argv): c.origin.rsplit(" ", 1)[-1] for c in COMPOSE_CONTAINERS}
    environment = COMPOSE_FILE["x-switchboard"]["environment"]
    urls = list(service_urls(environment))
    assert {service for _, service, _ in urls} == set(specs())
    for setting, name, url in urls:
        host, port = url_host_port(url)
        assert by_role[f"serve {name}"] == host, setting
        assert port == served_port(COMPOSE_FILE["services"][host]["command"]), setting
    published = {name: s["ports"] for name, s in COMPOSE_FILE["services"].items() if "ports" in s}
    assert published == {"gateway": ["8000:8000"]}


def test_compose_takes_the_secrets_from_the_environment() -> None:
    environment = COMPOSE_FILE["x-switchboard"]["environment"]
    assert re.fullmatch(r"\$\{SB_JWT_SECRET:\?[^}]+\}", environment["SB_JWT_SECRET"])
    assert "${POSTGRES_PASSWORD:?" in environment["SB_DATABASE_URL"]
    assert environment["SB_ENVIRONMENT"] == "production"


def test_compose_starts_services_after_the_migrations_on_healthy_storage() -> None:
    services = COMPOSE_FILE["services"]
    assert "--appendonly" in services["redis"]["command"]
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"] and services[name]["volumes"]
    for container in COMPOSE_CONTAINERS:
        after = container.spec["depends_on"]
        if role(container.argv) == "migrate":
            assert after["postgres"]["condition"] == "service_healthy"
        elif role(container.argv) != "serve gateway":
            assert after["migrate"]["condition"] == "service_completed_successfully"
            assert after["redis"]["condition"] == "service_healthy"


# --- the checks themselves fail on broken manifests ------------------------------------------


def first(containers: list[Container], wanted: str) -> Container:
    return copy.deepcopy(next(c for c in containers if role(c.argv) == wanted))


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "chatt", "--host", "0.0.0.0"],
        ["serve", "chat", "--prot", "8001"],
        ["serve", "chat"],  # 127.0.0.1: nobody outside the container reaches it
        ["worker", "tickets"],
        ["up"],
        ["migrat"],
    ],
)
def test_a_command_switchboard_does_not_know_is_caught(argv: list[str]) -> None:
    assert command_problems(argv)


@pytest.mark.parametrize(
    "probe, field, value",
    [
        ("livenessProbe", "path", "/health"),
        ("readinessProbe", "path", "/healthz"),
        ("readinessProbe", "port", 8080),
        ("livenessProbe", "port", "metrics"),
    ],
)
def test_a_probe_that_points_elsewhere_is_caught(probe: str, field: str, value: Any) -> None:
    container = first(KUBERNETES_CONTAINERS, "serve chat")
    container.probes[probe]["httpGet"][field] = value
    assert probe_problems(container)


def test_a_probe_that_is_missing_is_caught() -> None:
    container = first(KUBERNETES_CONTAINERS, "serve gateway")
    del container.probes["readinessProbe"]
    assert probe_problems(container)


def test_a_broken_compose_file_is_caught() -> None:
    broken = copy.deepcopy(COMPOSE_FILE)
    broken["services"]["chat"]["depend_on"] = broken["services"]["chat"].pop("depends_on")
    assert compose_schema_errors(broken)
    broken = copy.deepcopy(COMPOSE_FILE)
    broken["services"]["gateway"]["ports"] = {"8000": 8000}
    assert compose_schema_errors(broken)


def test_a_broken_kubernetes_object_is_caught() -> None:
    (_, deployment) = copy.deepcopy(next((f, d) for f, d in MANIFESTS if d["kind"] == "Deployment"))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["livenessProbes"] = container.pop("livenessProbe")
    assert kubernetes_errors(deployment, KUBERNETES_VERSIONS[0])
    del container["livenessProbes"]
    container["ports"][0]["containerPort"] = "8000"
    assert kubernetes_errors(deployment, KUBERNETES_VERSIONS[0])
