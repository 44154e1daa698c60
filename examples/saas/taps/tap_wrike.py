#!/usr/bin/env python3
"""A small Singer tap for Wrike (API v4): tasks, folders (projects flagged) and timelogs.

Standard library only. Usage (Singer's conventions):
  tap_wrike.py --config config.json --discover
  tap_wrike.py --config config.json --catalog catalog.json [--state state.json]
config: {"base_url": "https://www.wrike.com/api/v4", "access_token": "...", "start_date": "2000-01-01T00:00:00Z"}
tasks and timelogs are incremental on updated_date (bookmark per stream in STATE, inclusive: a resumed run reads the
records at the bookmark again, which merge on id makes harmless); folders is read in full every run.
"""
import argparse
import datetime
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TS = {"type": ["null", "string"], "format": "date-time"}
STR = {"type": ["null", "string"]}
STREAMS = {
    "tasks": {
        "key": ["id"], "replication_key": "updated_date",
        "properties": {"id": {"type": "string"}, "title": STR, "status": STR, "project_id": STR,
                       "created_date": TS, "updated_date": TS, "completed_date": TS},
    },
    "folders": {
        "key": ["id"], "replication_key": None,
        "properties": {"id": {"type": "string"}, "title": STR, "is_project": {"type": ["null", "boolean"]},
                       "project_status": STR},
    },
    "timelogs": {
        "key": ["id"], "replication_key": "updated_date",
        "properties": {"id": {"type": "string"}, "task_id": STR, "user_id": STR,
                       "hours": {"type": ["null", "string"], "format": "singer.decimal"},
                       "tracked_date": {"type": ["null", "string"], "format": "date"},
                       "created_date": TS, "updated_date": TS},
    },
}


def log(msg):
    print("tap_wrike: " + msg, file=sys.stderr, flush=True)


def emit(msg):
    sys.stdout.write(json.dumps(msg, separators=(",", ":")) + "\n")


def schema_of(name):
    s = STREAMS[name]
    return {"type": "object", "properties": s["properties"], "additionalProperties": False}


def discover():
    streams = []
    for name, s in STREAMS.items():
        md = {"table-key-properties": s["key"], "inclusion": "available",
              "forced-replication-method": "INCREMENTAL" if s["replication_key"] else "FULL_TABLE"}
        if s["replication_key"]:
            md["valid-replication-keys"] = [s["replication_key"]]
        metadata = [{"breadcrumb": [], "metadata": md}]
        for p in s["properties"]:
            metadata.append({"breadcrumb": ["properties", p],
                             "metadata": {"inclusion": "automatic" if p in s["key"] or p == s["replication_key"] else "available"}})
        streams.append({"tap_stream_id": name, "stream": name, "key_properties": s["key"],
                        "schema": schema_of(name), "metadata": metadata})
    json.dump({"streams": streams}, sys.stdout, indent=2)
    sys.stdout.write("\n")


class Wrike:
    def __init__(self, config):
        base = config.get("base_url") or "https://www.wrike.com/api/v4"
        self.base = base.rstrip("/")
        self.token = config.get("access_token")
        if not self.token:
            raise SystemExit("tap_wrike: config has no access_token (a Wrike permanent token)")

    def get(self, path, params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        for attempt in range(10):
            req = urllib.request.Request(url, headers={"Authorization": "Bearer " + self.token, "Accept": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=60) as r:
                    return json.load(r)
            except urllib.error.HTTPError as e:
                body = e.read(500).decode("utf-8", "replace")
                if e.code == 429 and attempt < 9:
                    wait = min(float(e.headers.get("Retry-After") or 2 ** attempt), 60)
                    log("GET %s: rate limited (429), waiting %.0f s" % (path, wait))
                    time.sleep(wait)
                    continue
                raise SystemExit("tap_wrike: GET %s answered %d: %s" % (path, e.code, body))
            except urllib.error.URLError as e:
                raise SystemExit("tap_wrike: GET %s%s failed: %s" % (self.base, path, e.reason))


def wrike_to_iso(value):
    # Wrike writes 2022-09-20T07:55:57Z; keep it, None stays None
    return value or None


def sync_tasks(api, since):
    params = {"pageSize": 1000, "fields": json.dumps(["parentIds"]), "subTasks": "true"}
    if since:
        params["updatedDate"] = json.dumps({"start": since})
    while True:
        page = api.get("/tasks", params)
        for t in page.get("data", []):
            parents = t.get("parentIds") or []
            yield {"id": t["id"], "title": t.get("title"), "status": t.get("status"),
                   "project_id": parents[0] if parents else None,
                   "created_date": wrike_to_iso(t.get("createdDate")), "updated_date": wrike_to_iso(t.get("updatedDate")),
                   "completed_date": wrike_to_iso(t.get("completedDate"))}
        token = page.get("nextPageToken")
        if not token:
            return
        params = {"pageSize": 1000, "fields": json.dumps(["parentIds"]), "subTasks": "true", "nextPageToken": token}
        if since:
            params["updatedDate"] = json.dumps({"start": since})


def sync_folders(api, since):
    tree = api.get("/folders", {})
    for f in tree.get("data", []):
        project = f.get("project")
        yield {"id": f["id"], "title": f.get("title"), "is_project": project is not None,
               "project_status": project.get("status") if project else None}


def sync_timelogs(api, since):
    params = {"updatedDate": json.dumps({"start": since})} if since else {}
    for l in api.get("/timelogs", params).get("data", []):
        yield {"id": l["id"], "task_id": l.get("taskId"), "user_id": l.get("userId"),
               "hours": None if l.get("hours") is None else repr(l["hours"]) if isinstance(l["hours"], float) else str(l["hours"]),
               "tracked_date": l.get("trackedDate"), "created_date": l.get("createdDate"),
               "updated_date": l.get("updatedDate")}


READERS = {"tasks": sync_tasks, "folders": sync_folders, "timelogs": sync_timelogs}


def selected_streams(catalog):
    out = []
    for s in catalog.get("streams", []):
        top = next((m["metadata"] for m in s.get("metadata", []) if m.get("breadcrumb") == []), {})
        if top.get("selected") or s.get("schema", {}).get("selected"):
            out.append(s["tap_stream_id"])
    return out


def main():
    ap = argparse.ArgumentParser(description="Singer tap for Wrike (tasks, folders, timelogs), stdlib only")
    ap.add_argument("--config", required=True)
    ap.add_argument("--discover", action="store_true")
    ap.add_argument("--catalog")
    ap.add_argument("--properties")
    ap.add_argument("--state")
    args = ap.parse_args()
    with open(args.config) as f:
        config = json.load(f)
    if args.discover:
        discover()
        return
    catalog_file = args.catalog or args.properties
    if not catalog_file:
        raise SystemExit("tap_wrike: give --catalog (or --discover to print one)")
    with open(catalog_file) as f:
        catalog = json.load(f)
    state = {}
    if args.state:
        with open(args.state) as f:
            state = json.load(f) or {}
    bookmarks = state.setdefault("bookmarks", {})
    api = Wrike(config)
    start = config.get("start_date")
    for name in selected_streams(catalog):
        if name not in STREAMS:
            raise SystemExit("tap_wrike: the catalog selects an unknown stream %r (known: %s)" % (name, ", ".join(STREAMS)))
        s = STREAMS[name]
        rk = s["replication_key"]
        since = bookmarks.get(name, {}).get(rk) if rk else None
        since = since or (start if rk else None)
        log("%s: reading%s" % (name, " updated since " + since if since else " in full"))
        emit({"type": "SCHEMA", "stream": name, "schema": schema_of(name), "key_properties": s["key"],
              "bookmark_properties": [rk] if rk else []})
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        latest, n = since, 0
        for rec in READERS[name](api, since):
            emit({"type": "RECORD", "stream": name, "record": rec, "time_extracted": now})
            n += 1
            if rk and rec.get(rk) and (latest is None or rec[rk] > latest):
                latest = rec[rk]
        if rk and latest:
            bookmarks[name] = {rk: latest}
        emit({"type": "STATE", "value": state})
        sys.stdout.flush()
        log("%s: %d records" % (name, n))


if __name__ == "__main__":
    main()
