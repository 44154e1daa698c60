#!/usr/bin/env python3
"""A Singer tap for Tributary's tests (standard library only).

Settings (--config): mode (good, die, hang, schema_change, batch, record_before_schema, version, noisy),
version settings: version, start_marker (false: ACTIVATE_VERSION only at the end, as pipelinewise taps after their
first full-table sync), record_version (records carry "version"); final_state (false: no STATE after the records),
count (records of 'users'), state_every, die_after, hang_after, batch_dir, spy_dir (where the tap copies what
it was given), start_id (first id when no state).
"""
import datetime, gzip, json, os, shutil, stat, sys, time

def out(msg):
    sys.stdout.write(json.dumps(msg) + "\n")

USERS_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": ["null", "string"]},
        "email": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "updated_at": {"type": "string", "format": "date-time"},
        "born": {"type": ["null", "string"], "format": "date"},
        "wakes": {"type": ["null", "string"], "format": "time"},
        "balance": {"type": ["null", "string"], "format": "singer.decimal"},
        "huge": {"type": ["null", "integer"]},
        "tags": {"type": ["null", "array"], "items": {"type": "string"}},
        "profile": {"type": ["null", "object"], "properties": {"city": {"type": "string"}}},
    },
}
EVENTS_SCHEMA = {"type": "object", "properties": {"kind": {"type": "string"}, "at": {"type": "string", "format": "date-time"}}}

def catalog():
    def md(keys, rk):
        return [{"breadcrumb": [], "metadata": {"table-key-properties": keys, "valid-replication-keys": rk, "inclusion": "available"}}]
    return {"streams": [
        {"tap_stream_id": "users", "stream": "users", "schema": USERS_SCHEMA, "key_properties": ["id"],
         "metadata": md(["id"], ["updated_at"]) + [{"breadcrumb": ["properties", p], "metadata": {"inclusion": "automatic" if p == "id" else "available"}} for p in USERS_SCHEMA["properties"]]},
        {"tap_stream_id": "events", "stream": "events", "schema": EVENTS_SCHEMA, "key_properties": [], "metadata": md([], [])},
    ]}

def arg(name):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None

def main():
    config_path = arg("--config")
    config = json.load(open(config_path))
    mode = config.get("mode", "good")
    spy = config.get("spy_dir")
    global_spy[0] = spy
    if spy:
        os.makedirs(spy, exist_ok=True)
        with open(os.path.join(spy, "config_mode.txt"), "w") as f:
            f.write(oct(stat.S_IMODE(os.stat(config_path).st_mode)))
        with open(os.path.join(spy, "config_path.txt"), "w") as f:
            f.write(config_path)
        with open(os.path.join(spy, "argv.txt"), "a") as f:
            f.write(" ".join(sys.argv[1:]) + "\n")
    if "--discover" in sys.argv:
        if spy:
            with open(os.path.join(spy, "discoveries.txt"), "a") as f:
                f.write("1\n")
        json.dump(catalog(), sys.stdout)
        return 0
    cat_path = arg("--catalog") or arg("--properties")
    cat = json.load(open(cat_path))
    state = json.load(open(arg("--state"))) if arg("--state") else {}
    if spy:
        shutil.copy(cat_path, os.path.join(spy, "catalog.json"))
        with open(os.path.join(spy, "state.json"), "w") as f:
            json.dump(state, f)
    selected = {}
    for s in cat["streams"]:
        root = [m for m in s.get("metadata", []) if m["breadcrumb"] == []]
        meta = root[0]["metadata"] if root else {}
        if meta.get("selected") or s.get("selected"):
            props = [m["breadcrumb"][1] for m in s.get("metadata", []) if len(m["breadcrumb"]) == 2 and m["metadata"].get("selected") is False]
            selected[s["tap_stream_id"]] = (meta, props)
    print("tap_test starting mode=%s selected=%s" % (mode, sorted(selected)), file=sys.stderr, flush=True)
    if config.get("leak_stdout"):
        print("debug: config is %s" % config["password"], flush=True)
    if config.get("leak_secrets"):
        # a careless tap: its settings on stderr, then a traceback quoting one
        print("tap_test: connecting with %s" % json.dumps(config), file=sys.stderr, flush=True)
        raise RuntimeError("login refused for password=%s token %s (%s)" % (config["password"], config["nested"]["token"], config["nested"]["list"][0]))
    if "users" in selected:
        users(config, mode, state, selected["users"][1])
    if "events" in selected:
        out({"type": "SCHEMA", "stream": "events", "schema": EVENTS_SCHEMA, "key_properties": []})
        for i in range(3):
            out({"type": "RECORD", "stream": "events", "record": {"kind": "click", "at": "2024-01-0%dT00:00:00Z" % (i + 1)}})
        out({"type": "STATE", "value": dict(state, events="done")})
    sys.stdout.flush()
    return 0

def user(i, deselected):
    rec = {"id": i, "name": "user %d" % i, "email": "u%d@example.com" % i,
           "updated_at": (datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(minutes=i)).isoformat(),
           "born": "1990-01-%02d" % (i % 28 + 1), "wakes": "07:%02d:00" % (i % 60), "balance": "%d.10" % i,
           "huge": 123456789012345678901234 + i if i % 2 == 0 else i, "tags": ["a", "b"], "profile": {"city": "Zürich \"q\""}}
    for p in deselected:
        rec.pop(p, None)
    return rec

global_spy = [None]

def users(config, mode, state, deselected):
    spy = global_spy[0]
    schema = json.loads(json.dumps(USERS_SCHEMA))
    for p in deselected:
        schema["properties"].pop(p, None)
    count = int(config.get("count", 10))
    every = int(config.get("state_every", 3))
    bookmark = state.get("bookmarks", {}).get("users", {}).get("id", int(config.get("start_id", 0)))
    if mode == "flood":
        # as fast as the pipe takes them, saying how far it got every 100 records
        out({"type": "SCHEMA", "stream": "users", "schema": schema, "key_properties": ["id"]})
        for i in range(1, count + 1):
            out({"type": "RECORD", "stream": "users", "record": {"id": i, "name": "x" * 50}})
            if i % 100 == 0:
                sys.stdout.flush()
                with open(os.path.join(config["spy_dir"], "progress.txt"), "w") as f:
                    f.write(str(i))
        return
    if mode == "record_before_schema":
        out({"type": "RECORD", "stream": "users", "record": user(1, deselected)})
    out({"type": "SCHEMA", "stream": "users", "schema": schema, "key_properties": ["id"], "bookmark_properties": ["updated_at"]})
    if mode == "version" and config.get("start_marker", True):
        out({"type": "ACTIVATE_VERSION", "stream": "users", "version": int(config.get("version", 1))})
    now = "2024-06-01T00:00:00+00:00" if config.get("fixed_time") else datetime.datetime.now(datetime.timezone.utc).isoformat()
    if "total" in config:
        count = max(0, int(config["total"]) - bookmark)  # the data the source has: ids up to total
    sent = 0
    batch_rows = []
    for i in range(bookmark + 1, bookmark + count + 1):
        if mode == "schema_change" and sent == count // 2:
            schema["properties"]["score"] = {"type": ["null", "number"]}
            schema["properties"]["huge"] = {"type": ["null", "string"]}
            out({"type": "SCHEMA", "stream": "users", "schema": schema, "key_properties": ["id"]})
        rec = user(i, deselected)
        if mode == "schema_change" and sent >= count // 2:
            rec["score"] = i / 4
            rec["huge"] = "text %d" % i
        if mode == "batch":
            batch_rows.append(rec)
        else:
            msg = {"type": "RECORD", "stream": "users", "record": rec, "time_extracted": now}
            if config.get("record_version"):
                msg["version"] = int(config.get("version", 1))
            out(msg)
        sent += 1
        if mode == "die" and sent == int(config.get("die_after", 5)):
            sys.stdout.flush()
            print("tap_test: lost the connection to the API", file=sys.stderr, flush=True)
            print("tap_test: giving up", file=sys.stderr, flush=True)
            sys.exit(3)
        if mode == "hang" and sent == int(config.get("hang_after", 5)):
            sys.stdout.flush()
            if spy:
                with open(os.path.join(spy, "hanging.txt"), "w") as f:
                    f.write(str(os.getpid()))
            time.sleep(3600)
        if sent % every == 0:
            if mode == "batch":
                write_batch(config, batch_rows, i)
                batch_rows = []
            out({"type": "STATE", "value": {"bookmarks": {"users": {"id": i}}}})
            sys.stdout.flush()
    if mode == "batch" and batch_rows:
        write_batch(config, batch_rows, bookmark + count)
    if mode == "version":
        out({"type": "ACTIVATE_VERSION", "stream": "users", "version": int(config.get("version", 1))})
    if mode != "no_final_state" and config.get("final_state", True):
        out({"type": "STATE", "value": {"bookmarks": {"users": {"id": bookmark + count}}}})

def write_batch(config, rows, last):
    d = config["batch_dir"]
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "users-%d.jsonl.gz" % last)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    out({"type": "BATCH", "stream": "users", "encoding": {"format": "jsonl", "compression": "gzip"}, "manifest": ["file://" + path]})

if __name__ == "__main__":
    sys.exit(main())
