#!/usr/bin/env python3
"""Give the HubSpot sandbox companies that are Xero customers, so the models have something to match.

The two sandboxes generate their data independently: no HubSpot company is a Xero contact by default. This reads the
Xero customers that have sales invoices (through Xero's API, custom connection) and creates a HubSpot company for
each of the first --count of them through HubSpot's own API (POST /crm/v3/objects/companies): every other one with
the contact's exact name and no domain (matched by name), the rest with a shortened name and the domain of the
contact's e-mail address (matched by domain). Companies that already exist (same name) are not created again.
Standard library only. Settings from the environment (the .env examples/saas/run writes): XERO_BASE_URL,
XERO_CLIENT_ID, XERO_CLIENT_SECRET, HUBSPOT_BASE_URL, HUBSPOT_TOKEN (and HUBSPOT_SAFETY_LAG_SECONDS: it waits that
long after the last company it made, so a sync started next reads them). Prints one tab-separated line per company:
hubspot name, domain (or -), xero contact name.
"""
import argparse
import base64
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def fail(msg):
    print("link_companies: " + msg, file=sys.stderr)
    sys.exit(2)


def call(method, url, headers, body=None, form=None):
    data = None
    headers = dict(headers)
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    for attempt in range(10):
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            if e.code == 429 and attempt < 9:  # a rate limit: wait as asked (HubSpot's is per second) and try again
                e.read()
                time.sleep(min(float(e.headers.get("Retry-After") or 1), 60))
                continue
            fail("%s %s answered %d: %s" % (method, url, e.code, e.read(400).decode("utf-8", "replace")))
        except urllib.error.URLError as e:
            fail("%s %s failed: %s" % (method, url, e.reason))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=12, help="companies to create (default 12)")
    args = ap.parse_args()
    env = {k: os.environ.get(k, "") for k in
           ("XERO_BASE_URL", "XERO_CLIENT_ID", "XERO_CLIENT_SECRET", "HUBSPOT_BASE_URL", "HUBSPOT_TOKEN")}
    missing = [k for k, v in env.items() if not v]
    if missing:
        fail("set " + ", ".join(missing) + " (examples/saas/run writes them to examples/saas/.env)")
    xero = env["XERO_BASE_URL"].rstrip("/")
    basic = base64.b64encode((env["XERO_CLIENT_ID"] + ":" + env["XERO_CLIENT_SECRET"]).encode()).decode()
    token = call("POST", xero + "/connect/token", {"Authorization": "Basic " + basic},
                 form={"grant_type": "client_credentials"})["access_token"]
    auth = {"Authorization": "Bearer " + token, "Accept": "application/json"}
    query = urllib.parse.urlencode({"where": 'Type=="ACCREC"', "page": 1, "pageSize": 1000, "summaryOnly": "true"})
    invoices = call("GET", xero + "/api.xro/2.0/Invoices?" + query, auth).get("Invoices", [])
    contact_ids = []
    for inv in invoices:
        cid = inv["Contact"]["ContactID"]
        if inv.get("Status") in ("AUTHORISED", "PAID") and cid not in contact_ids:
            contact_ids.append(cid)
    hub = env["HUBSPOT_BASE_URL"].rstrip("/")
    hauth = {"Authorization": "Bearer " + env["HUBSPOT_TOKEN"], "Accept": "application/json"}
    made, seen_names, created, last_created = 0, set(), [], 0.0
    for cid in contact_ids:
        if made >= args.count:
            break
        contact = call("GET", xero + "/api.xro/2.0/Contacts/" + cid, auth)["Contacts"][0]
        name = contact["Name"]
        if name.lower() in seen_names:
            continue
        seen_names.add(name.lower())
        email = contact.get("EmailAddress") or ""
        if made % 2 == 0 or "@" not in email:
            company = {"name": name}
        else:
            company = {"name": re.sub(r"\s+(Ltd|Limited|Inc|Pty Ltd|LLC|GmbH)$", "", name) + " (CRM)",
                       "domain": email.split("@", 1)[1]}
        found = call("POST", hub + "/crm/v3/objects/companies/search", hauth, body={
            "filterGroups": [{"filters": [{"propertyName": "name", "operator": "EQ", "value": company["name"]}]}],
            "limit": 1})
        if not found.get("total"):
            call("POST", hub + "/crm/v3/objects/companies", hauth, body={"properties": company})
            created.append(company["name"])
            last_created = time.time()
        print("%s\t%s\t%s" % (company["name"], company.get("domain", "-"), name))
        made += 1
    # HubSpot's search index (which incremental syncs read) shows new objects only after a delay: wait for them, so a
    # sync started right after this script sees every company it made.
    deadline = time.time() + 60
    for name in created:
        while True:
            found = call("POST", hub + "/crm/v3/objects/companies/search", hauth, body={
                "filterGroups": [{"filters": [{"propertyName": "name", "operator": "EQ", "value": name}]}], "limit": 1})
            if found.get("total"):
                break
            if time.time() > deadline:
                fail("HubSpot's search does not show the company %r 60 s after it was made" % name)
            time.sleep(0.5)
    # A sync reads HubSpot changes up to HUBSPOT_SAFETY_LAG_SECONDS before its start: let that much time pass since the
    # last company was made, so the next sync reads them all.
    lag = float(os.environ.get("HUBSPOT_SAFETY_LAG_SECONDS") or 0)
    wait = last_created + lag + 1 - time.time() if created else 0
    if wait > 0:
        print("link_companies: waiting %.0f s (HUBSPOT_SAFETY_LAG_SECONDS) so the next sync reads the new companies" % wait,
              file=sys.stderr)
        time.sleep(wait)
    if made == 0:
        fail("the Xero organisation has no customer with an authorised or paid sales invoice on its first page")


if __name__ == "__main__":
    main()
