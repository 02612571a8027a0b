"""How `switchboard up` paces the restarts of a child that dies, and when it gives up."""

from switchboard.cli.restarts import RestartPolicy, Restarts

POLICY = RestartPolicy(delay=0.5, max_delay=4.0, per_minute=5)


def test_a_child_that_dies_now_and_then_is_restarted_at_once_each_time() -> None:
    restarts = Restarts(POLICY)
    assert [restarts.after_death(at) for at in (0.0, 100.0, 200.0, 300.0)] == [0.5] * 4


def test_a_crash_loop_backs_off_then_is_given_up_on() -> None:
    restarts = Restarts(POLICY)
    pauses = [restarts.after_death(float(second)) for second in range(6)]
    assert pauses == [0.5, 1.0, 2.0, 4.0, 4.0, None]


def test_the_count_forgets_deaths_older_than_a_minute() -> None:
    restarts = Restarts(POLICY)
    for second in range(5):
        restarts.after_death(float(second))
    assert restarts.after_death(30.0) is None
    assert restarts.after_death(70.0) == 0.5  # a minute later: as if it never crashed
    assert restarts.recent(70.0) == 1
