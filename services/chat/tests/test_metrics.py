"""chat's /metrics: the shared metrics, wired to its own stream group, outbox and job queue."""

from prometheus_client.parser import text_string_to_metric_families

from .conftest import ChatService


async def test_chat_reports_its_consumer_group_outbox_and_job_queue(
    chat_service: ChatService,
) -> None:
    response = await chat_service.client.get("/metrics")
    assert response.status_code == 200
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }
    assert ("switchboard_consumer_pending", (("group", "chat"), ("stream", "routing"))) in samples
    for gauge in ("outbox_backlog", "job_queue_depth", "job_queue_due", "dead_letters"):
        assert (f"switchboard_{gauge}", ()) in samples
    for dependency in ("redis", "database"):
        assert samples[("switchboard_dependency_up", (("dependency", dependency),))] == 1
