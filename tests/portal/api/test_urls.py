"""portal.api.urls: the API root lists each endpoint of version 1."""


def test_api_root_lists_the_reference_endpoints(client, db):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert (
        response.json().items()
        >= {
            "regions": "http://testserver/api/v1/regions/",
            "industry-codes": "http://testserver/api/v1/industry-codes/",
            "clusters": "http://testserver/api/v1/clusters/",
            "parks": "http://testserver/api/v1/parks/",
        }.items()
    )
