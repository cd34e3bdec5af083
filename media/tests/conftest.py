import pytest

from media.tests.factories import media_org


@pytest.fixture
def morg(org):
    return media_org(org)
