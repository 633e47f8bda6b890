#!/usr/bin/env python3
"""Writes the small seed corpus for each fuzz target into fuzz/seeds/<target>/ (all invented
here; the research corpora are never copied into the repository). Run again to regenerate."""
import gzip, io, os, zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")

def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

# The first byte of csv/json/sgml/feed/archive/encoding inputs selects options (fuzz/harness.rs).
S0, S1 = b"\x00", b"\x19"

put("text", "presstv.txt", "News / Russia\n\nMoscow re-equips Bishkek\n\nMembers of a force march. (\u00a9 AFP)\n\nShoigu said so.\n\nSHARE THIS ARTICLE\n")
put("text", "bbc.txt", "Ad sales boost profit\n\nQuarterly profits jumped 76%.\n\nThe firm said so.\n")
put("text", "cp1251.txt", "Министр обороны заявил о перевооружении армии Киргизии.".encode("cp1251"))
put("text", "utf16.txt", "Title\r\n\r\nBody text here".encode("utf-16-le"))

put("csv", "basic.csv", S0 + b'headline,date,outlet,text\n"A, quoted",2015-01-02,X,"multi\nline"\nB,2016-02-03,Y,plain\n')
put("csv", "semi.csv", S1 + "title;text;date;url\nКыргыз;текст;02.12.2015;http://x.kg/a\n".encode())
put("csv", "ragged.csv", S0 + b'title,text\nA,a,extra\nB\n"unbalanced,x\n')
put("csv", "latin1.csv", S0 + b"title,text\nCaf\xe9,ok\n")

put("json", "array.json", S0 + b'[{"title":"a","text":"x","date":"2015-12-02","url":"https://e.org/2015/12/02/a"},{"title":"b","nested":{"k":[1,2]}},42]')
put("json", "lines.jsonl", S1 + b'{"title":"a","published":1449014400}\n\n{oops}\n{"headline":"c","body":["p1","p2"]}')
put("json", "doc.json", S0 + b'{\n "status": "ok",\n "articles": [\n  {"title": "a", "date": "2 Dec 2015"},\n  {"title": "b"}\n ]\n}\n')

reuters = b'''<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS><D>cocoa</D></TOPICS><PLACES><D>el-salvador</D><D>usa</D></PLACES>
<TEXT>&#2;
<TITLE>BAHIA COCOA REVIEW</TITLE>
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued &amp; more &lt;b&gt;.
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS NEWID="2"><TEXT TYPE="BRIEF">&#2;<TITLE>SHORT</TITLE><![CDATA[</REUTERS>]]><!-- </REUTERS> -->
'''
put("sgml", "reuters.sgm", S0 + reuters)
put("sgml", "generic.xml", b"\x40" + b'<root><doc id="7"><head>Title <b>x</b></head><t>alpha</t><t>beta 2</t>text &eacute;</doc><doc id=8>')

put("feed", "rss2.rss", S0 + b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wire</title><item><title>A &amp; B</title><link>https://e.org/a</link><pubDate>Wed, 02 Dec 2015 10:00:00 GMT</pubDate><description>&lt;p&gt;Para &lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;</description><dc:creator>Ann</dc:creator></item></channel></rss>')
put("feed", "atom.atom", S1 + b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title type="html">&lt;b&gt;Hi&lt;/b&gt;</title><link href="https://e.org/x"/><updated>2015-12-02T10:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p></div></content></entry></feed>')
put("feed", "rdf.rdf", S0 + b'<?xml version="1.0" encoding="windows-1251"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="u"><title>\xcf\xf0\xe8\xe2\xe5\xf2</title></item></rdf:RDF>')
put("feed", "laughs.xml", S0 + b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&b;&x;</title></item></channel></rss>')

put("html", "article.html", b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page</title><meta property="article:published_time" content="2015-12-02T10:00:00Z"><link rel="canonical" href="/a/b"><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2015-12-02","author":{"name":"Ann"}}</script></head><body><nav>Home</nav><article><h1>Headline</h1><p>First paragraph of the story, long enough to be the main text of the page.</p><p onclick="evil()">Second <a href="javascript:alert(1)">link</a> paragraph.</p><script>var secret=1;</script></article><footer>(c)</footer></body></html>')
put("html", "cp1251.html", b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><body><p>' + "Привет мир, это тест страницы.".encode("cp1251") + b"</p></body></html>")

# The first byte of mail inputs selects the record limit and buffer size, as for feeds.
put("mail", "usenet", S0 + b"Path: a!b\nFrom: jo@x.org (Jo Doe)\nNewsgroups: sci.space,sci.astro\nSubject: Re: windows\nMessage-ID: <1@x.org>\nDate: Mon, 5 Apr 93 13:22:05 GMT\nLines: 3\n\n> quoted\n_\bu_\bn_\bd_\be_\br V\bVE\bER\bRY\bY\n\x0c\n-- \nJo\n")
put("mail", "three.mbox", S1 + b"From a@x Thu Mar  2 10:00:00 2023\nFrom: =?utf-8?Q?Caf=C3=A9?= <a@x>\nSubject: =?koi8-r?B?98nCz9LZ?=\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9 =\n soft\n>From here\n\nFrom b@x Fri Mar  3 11:30:00 2023\nFrom: b@x\nSubject: b64\nContent-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: base64\n\n98nCz9LZ\n\nFrom c@x Sat Mar  4 12:00:00 2023\nSubject: alt\nContent-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nplain\n--b\nContent-Type: text/html\n\n<p>html</p>\n--b--\n")
put("mail", "raw8bit", S0 + b"Subject: " + "Новости".encode("cp1251") + b"\nFrom: x@y\n\n" + "Министр обороны заявил о перевооружении армии.".encode("cp1251") + b"\n")

def zipped(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in entries:
            z.writestr(n, d)
    return b.getvalue()

put("archive", "bundle.zip", b"\x00" + zipped([("world/a.txt", b"Zip title\n\nZip body"), ("feed.jsonl", b'{"title":"j1"}\n{"title":"j2"}\n'), ("../evil\\x.csv", b"title,text\nA,b\n")]))
put("archive", "rows.csv.gz", b"\x03" + gzip.compress(b"title,text\nG,gz body\n"))
put("archive", "lines.jsonl.gz", b"\x02" + gzip.compress(b'{"title":"a"}\n{"title":"b"}\n'))
put("archive", "plain.gz", b"\x01" + gzip.compress(b"Title\n\nBody"))
put("archive", "reuters.sgm.gz", b"\x04" + gzip.compress(reuters))
put("archive", "nested.zip", b"\x00" + zipped([("inner.zip", zipped([("a.txt", b"T\n\nB")])), ("x.gz", gzip.compress(b"T\n\nB"))]))

for i, s in enumerate(["2015-12-02", "2015-12-02T10:11:12+03:30", "Wed, 02 Dec 2015 10:00:00 GMT", "2 Dec 2015", "December 2, 2015", "12/02/2015", "1394/09/11", "26-FEB-1987 15:01:01.79", "1449014400", "1449014400000", "2015", "2015-12", "۱۳۹۴/۰۹/۱۱", "BISHKEK, December 2, 2015 — text"]):
    put("date", f"d{i:02}.txt", s)

put("encoding", "utf8.txt", S1 + "Привет, мир — ascii and ü".encode())
put("encoding", "bom.txt", S1 + b"\xef\xbb\xbfhello")
put("encoding", "utf16le.txt", S1 + "hello world, this is text".encode("utf-16-le"))
put("encoding", "utf16be.txt", S0 + "hello world, this is text".encode("utf-16-be"))
put("encoding", "gbk.txt", S1 + "中华人民共和国新闻报道今天发布了消息".encode("gb2312"))
put("encoding", "mixed.txt", S1 + "Кыргызстан ".encode() * 3 + b"caf\xe9 \xc0\xaf \xed\xa0\x80 \xe2\x82")

for i, q in enumerate(['(security OR militant* OR Daesh) AND Kyrgyz*', 'NEAR(border Afghanistan, 8)', 'title:"islamic state" -body:x', 'a NEAR/5 b', 'NOT x', '"un""closed', 'رییس AND ("a b" OR c*)', '((((a))))', 'title:NEAR(a b)', '^a:b*']):
    put("query", f"q{i}.txt", q)
