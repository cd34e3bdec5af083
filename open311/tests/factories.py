"""Builders of the Open311 tests: the spec's field lists and answers parsed in either format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

BASE = "/open311/v2/"
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
CONFIDENTIAL = {"domestic_violence", "sexual_offence", "minors", "officer_misconduct"}
# Inside Rabat, near the own district of the test organisation.
RABAT = {"lat": "34.0236", "long": "-6.8341"}


class Answer:
    """A response parsed in its format: `.xml` is the root element, `.json` the decoded body."""

    def __init__(self, response, fmt):
        self.response = response
        self.status = response.status_code
        self.text = response.content.decode()
        self.fmt = fmt
        if fmt == "xml":
            assert response["Content-Type"].startswith("text/xml")
            self.xml = ET.fromstring(response.content)  # noqa: S314 (our own server's answer)
        else:
            assert response["Content-Type"].startswith("application/json")
            self.json = json.loads(response.content)

    def rows(self, root: str, item: str) -> list[dict]:
        """The list items as dicts of text (XML) or values (JSON), checking the envelope."""
        if self.fmt == "xml":
            assert self.xml.tag == root
            assert all(child.tag == item for child in self.xml)
            return [{field.tag: field.text or "" for field in child} for child in self.xml]
        assert isinstance(self.json, list)
        return self.json

    def fields(self, root: str, item: str) -> list[list[str]]:
        """The field names of each item, in document order."""
        if self.fmt == "xml":
            self.rows(root, item)
            return [[field.tag for field in child] for child in self.xml]
        return [list(row) for row in self.rows(root, item)]

    def errors(self) -> list[dict]:
        rows = self.rows("errors", "error")
        assert rows, "an error body has at least one error"
        for row in rows:
            assert set(row) == {"code", "description"}
            assert int(row["code"]) == self.status
            assert row["description"]
        return rows
