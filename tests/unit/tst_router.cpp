#include "server/http/router.h"

#include <QTest>

using mmv::http::Router;

class TestRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void match_data();
    void match();
    void invalidPatterns_data();
    void invalidPatterns();
    void registrationOrderDoesNotMatter();

private:
    Router m_router;
};

static mmv::http::Handler named(const QString &)
{
    return [](mmv::http::HttpRequest &, mmv::http::HttpResponder) {};
}

void TestRouter::initTestCase()
{
    // Registered least specific first on purpose.
    QVERIFY(m_router.add("GET", QStringLiteral("/{*path}"), named("static")));
    QVERIFY(m_router.add("GET", QStringLiteral("/api/v1/videos/{id}"), named("video")));
    QVERIFY(m_router.add("DELETE", QStringLiteral("/api/v1/videos/{id}"), named("delete")));
    QVERIFY(m_router.add("GET", QStringLiteral("/api/v1/videos"), named("list")));
    QVERIFY(m_router.add("POST", QStringLiteral("/api/v1/videos"), named("upload")));
    QVERIFY(m_router.add("GET", QStringLiteral("/api/v1/videos/{id}/keyframes/{n}.jpg"),
                         named("keyframe")));
    QVERIFY(m_router.add("GET", QStringLiteral("/api/v1/videos/latest"), named("latest")));
    QVERIFY(m_router.add("POST", QStringLiteral("/api/v1/health"), named("health-post")));
    QVERIFY(m_router.add("GET", QStringLiteral("/socket.io/{*rest}"), named("eio")));
    QVERIFY(m_router.add("POST", QStringLiteral("/socket.io/{*rest}"), named("eio-post")));
}

void TestRouter::match_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("params"); // "k=v;k=v", sorted

    using O = Router::Outcome;
    QTest::addRow("literal") << QByteArray("GET") << "/api/v1/videos" << int(O::Found)
                             << "/api/v1/videos"
                             << "";
    QTest::addRow("literal post") << QByteArray("POST") << "/api/v1/videos" << int(O::Found)
                                  << "/api/v1/videos"
                                  << "";
    QTest::addRow("param") << QByteArray("GET") << "/api/v1/videos/abc-1" << int(O::Found)
                           << "/api/v1/videos/{id}"
                           << "id=abc-1";
    QTest::addRow("literal beats param")
        << QByteArray("GET") << "/api/v1/videos/latest" << int(O::Found) << "/api/v1/videos/latest"
        << "";
    QTest::addRow("delete param") << QByteArray("DELETE") << "/api/v1/videos/x" << int(O::Found)
                                  << "/api/v1/videos/{id}"
                                  << "id=x";
    QTest::addRow("suffix param") << QByteArray("GET") << "/api/v1/videos/v1/keyframes/12.jpg"
                                  << int(O::Found) << "/api/v1/videos/{id}/keyframes/{n}.jpg"
                                  << "id=v1;n=12";
    QTest::addRow("suffix mismatch falls to static")
        << QByteArray("GET") << "/api/v1/videos/v1/keyframes/12.png" << int(O::Found) << "/{*path}"
        << "path=api/v1/videos/v1/keyframes/12.png";
    QTest::addRow("empty suffix param")
        << QByteArray("GET") << "/api/v1/videos/v1/keyframes/.jpg" << int(O::Found) << "/{*path}"
        << "path=api/v1/videos/v1/keyframes/.jpg";
    QTest::addRow("head uses get")
        << QByteArray("HEAD") << "/api/v1/videos/abc" << int(O::Found) << "/api/v1/videos/{id}"
        << "id=abc";
    QTest::addRow("wrong method") << QByteArray("PUT") << "/api/v1/videos/abc"
                                  << int(O::MethodNotAllowed) << ""
                                  << "";
    QTest::addRow("405 not hidden by catch-all")
        << QByteArray("GET") << "/api/v1/health" << int(O::MethodNotAllowed) << ""
        << "";
    QTest::addRow("rest") << QByteArray("GET") << "/socket.io/" << int(O::Found)
                          << "/socket.io/{*rest}"
                          << "rest=";
    QTest::addRow("rest deep") << QByteArray("POST") << "/socket.io/a/b" << int(O::Found)
                               << "/socket.io/{*rest}"
                               << "rest=a/b";
    QTest::addRow("root") << QByteArray("GET") << "/" << int(O::Found) << "/{*path}"
                          << "path=";
    QTest::addRow("no match for post")
        << QByteArray("POST") << "/nothing" << int(O::MethodNotAllowed) << ""
        << "";
    QTest::addRow("trailing slash differs")
        << QByteArray("POST") << "/api/v1/videos/" << int(O::MethodNotAllowed) << ""
        << "";
    QTest::addRow("relative path") << QByteArray("GET") << "api" << int(O::NotFound) << ""
                                   << "";
    QTest::addRow("lowercase method")
        << QByteArray("get") << "/api/v1/videos" << int(O::Found) << "/api/v1/videos"
        << "";
}

void TestRouter::match()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, outcome);
    QFETCH(QString, pattern);
    QFETCH(QString, params);

    const Router::Match match = m_router.match(method, path);
    QCOMPARE(int(match.outcome), outcome);
    if (match.outcome == Router::Outcome::Found) {
        QCOMPARE(match.route->pattern, pattern);
        QStringList pairs;
        for (auto it = match.params.cbegin(); it != match.params.cend(); ++it)
            pairs.append(it.key() + QLatin1Char('=') + it.value());
        pairs.sort();
        QCOMPARE(pairs.join(QLatin1Char(';')), params);
    } else if (match.outcome == Router::Outcome::MethodNotAllowed) {
        QVERIFY(!match.allowedMethods.isEmpty());
    }
}

void TestRouter::invalidPatterns_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addRow("relative") << "api/x";
    QTest::addRow("unclosed") << "/api/{id";
    QTest::addRow("two params in a segment") << "/api/{a}{b}";
    QTest::addRow("rest not last") << "/{*rest}/x";
    QTest::addRow("bad name") << "/api/{1x}";
}

void TestRouter::invalidPatterns()
{
    QFETCH(QString, pattern);
    Router router;
    QVERIFY(!router.add("GET", pattern, named("x")));
    QCOMPARE(router.size(), 0);
}

void TestRouter::registrationOrderDoesNotMatter()
{
    Router forward;
    Router backward;
    const QStringList patterns = { QStringLiteral("/a/{x}"), QStringLiteral("/a/b"),
                                   QStringLiteral("/{*rest}"), QStringLiteral("/a/{x}/c") };
    for (const QString &p : patterns)
        QVERIFY(forward.add("GET", p, named(p)));
    for (auto it = patterns.crbegin(); it != patterns.crend(); ++it)
        QVERIFY(backward.add("GET", *it, named(*it)));
    for (const QString &path : { QStringLiteral("/a/b"), QStringLiteral("/a/z"),
                                 QStringLiteral("/a/z/c"), QStringLiteral("/q") }) {
        QCOMPARE(forward.match("GET", path).route->pattern,
                 backward.match("GET", path).route->pattern);
    }
    QCOMPARE(forward.match("GET", QStringLiteral("/a/b")).route->pattern, QStringLiteral("/a/b"));
}

QTEST_APPLESS_MAIN(TestRouter)
#include "tst_router.moc"
