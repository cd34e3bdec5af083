"""Pages speak Arabic first; the API follows Accept-Language."""


def test_pages_are_arabic_whatever_the_browser_says(client, db):
    r = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'dir="rtl"' in r.content.decode() and 'lang="ar"' in r.content.decode()
    client.cookies["django_language"] = "fr"
    r = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert 'lang="fr"' in r.content.decode() and 'dir="ltr"' in r.content.decode()


def test_api_errors_follow_accept_language(client, db):
    fr = client.get("/api/cases", HTTP_ACCEPT_LANGUAGE="fr").json()["message"]
    ar = client.get("/api/cases", HTTP_ACCEPT_LANGUAGE="ar").json()["message"]
    assert fr != ar and "API" in fr
