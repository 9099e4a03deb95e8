import pytest

from tests.live.sse import close_all


@pytest.fixture(autouse=True)
def _close_streams():
    yield
    close_all()
