"""The Python side of scripts/side-by-side.sh: what a researcher would otherwise write.

usage: side_by_side.py CORPUS_DIR WORK_DIR RUNS CONCEPT_QUERY

Prints one JSON object per line: {"step": ..., "median_s": ..., "runs": [...], ...}.
Steps: import (sqlite3 + FTS5), load (JSON Lines into lists), terms (CountVectorizer top 100,
texts already in memory), timeline (pandas month x source of the concept, DataFrame already in
memory).
"""

import glob
import json
import os
import re
import sqlite3
import statistics
import sys
import time

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer

corpus, work, runs, concept = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
files = sorted(glob.glob(os.path.join(corpus, "*.jsonl")))


def report(step, times, **extra):
    print(json.dumps({"step": step, "median_s": statistics.median(times), "runs": times, **extra},
                     ensure_ascii=False), flush=True)


def records():
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


# 1. Import into SQLite with an FTS5 index: one table, one FTS5 table kept in the same
# transaction, batches of 1,000, WAL, 16 KB pages.
def import_once(path):
    for p in (path, path + "-wal", path + "-shm"):
        if os.path.exists(p):
            os.remove(p)
    con = sqlite3.connect(path)
    con.execute("PRAGMA page_size = 16384")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute("""CREATE TABLE articles(id INTEGER PRIMARY KEY, ext_id TEXT, url TEXT,
                   source TEXT, title TEXT, byline TEXT, date TEXT, section TEXT,
                   language TEXT, body TEXT)""")
    con.execute("""CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='',
                   tokenize='unicode61 remove_diacritics 2')""")
    rows, n = [], 0

    def flush():
        con.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        con.executemany("INSERT INTO articles_fts(rowid, title, body) VALUES (?,?,?)",
                        [(r[0], r[4], r[9]) for r in rows])
        con.commit()
        rows.clear()

    for r in records():
        n += 1
        rows.append((n, r.get("id"), r.get("url"), r.get("source"), r.get("title"),
                     r.get("byline"), r.get("date"), r.get("section"), r.get("language"),
                     r.get("body")))
        if len(rows) == 1000:
            flush()
    flush()
    con.close()
    return n


db = os.path.join(work, "python.sqlite")
times = []
for _ in range(runs):
    t = time.perf_counter()
    n = import_once(db)
    times.append(time.perf_counter() - t)
report("import", times, articles=n)

# 2. Load the texts (not counted in the ratios below: Broadsheet reads its store instead).
t = time.perf_counter()
dates, sources, texts = [], [], []
for r in records():
    dates.append(r["date"])
    sources.append(r["source"])
    texts.append(r["title"] + "\n" + r["body"])
report("load", [time.perf_counter() - t])

# 3. Word list: CountVectorizer (its default tokenizer: words of two or more characters,
# lowercased), summed over the corpus, top 100.
times = []
for _ in range(runs):
    t = time.perf_counter()
    cv = CountVectorizer()
    x = cv.fit_transform(texts)
    freq = np.asarray(x.sum(axis=0)).ravel()
    top = np.argsort(-freq, kind="stable")[:100]
    vocab = cv.get_feature_names_out()
    words = [(vocab[i], int(freq[i])) for i in top]
    times.append(time.perf_counter() - t)
    del x, cv
report("terms", times, top10=words[:10], top100=[w for w, _ in words])

# 4. Timeline: share of articles per month and source matching the concept. The concept query
# is "(a OR b ...) AND (c OR d ...)": each group becomes a whole-word, case-insensitive regex.
groups = [g.strip().strip("()").split(" OR ") for g in concept.split(") AND (")]
patterns = [re.compile(r"\b(?:" + "|".join(re.escape(w.strip()) for w in g) + r")\b", re.IGNORECASE)
            for g in groups]
df = pd.DataFrame({"date": dates, "source": sources, "text": texts})
times = []
for _ in range(runs):
    t = time.perf_counter()
    month = pd.to_datetime(df["date"], utc=True).dt.strftime("%Y-%m")
    hit = np.ones(len(df), dtype=bool)
    for p in patterns:
        hit &= df["text"].str.contains(p).to_numpy()
    table = (pd.DataFrame({"month": month, "source": df["source"], "hit": hit})
             .groupby(["month", "source"])
             .agg(total=("hit", "size"), count=("hit", "sum")))
    table["share"] = table["count"] / table["total"]
    times.append(time.perf_counter() - t)
report("timeline", times, matching=int(table["count"].sum()), rows=len(table))
