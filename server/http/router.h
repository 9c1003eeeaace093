#pragma once

#include "httpresponse.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>

namespace mmv::http {

/// Handles a complete request; answers through the responder, now or later.
using Handler = std::function<void(HttpRequest &request, HttpResponder responder)>;

/// Creates the sink of a streaming route once the head is known; may refuse the request
/// (wrong content type, not allowed) before a byte of the body is read.
using SinkFactory = std::function<Result<std::shared_ptr<BodySink>>(const HttpRequest &head)>;

/// Checks a request head before the body is read (authentication, roles). Returning an
/// error answers with it at once.
using HeadCheck = std::function<Status(const HttpRequest &head)>;

struct RouteOptions
{
    /// Largest accepted body; -1 means the server's default for buffered (JSON) routes.
    qint64 maxBody = -1;
    /// When set, the body is streamed to the sink instead of being buffered.
    SinkFactory sink;
    HeadCheck check;
};

struct Route
{
    QByteArray method;
    QString pattern;
    Handler handler;
    RouteOptions options;

    struct Segment
    {
        enum class Kind { Literal, Param, Rest };
        Kind kind = Kind::Literal;
        QString literal; ///< the literal text, or the parameter name
        QString prefix; ///< literal text before a parameter in the same segment
        QString suffix; ///< literal text after it ("{n}.jpg")
    };
    QList<Segment> segments;
    int specificity = 0;
};

/// Maps method + path to handlers. Patterns are '/'-separated segments: literals,
/// parameters "{id}" (one non-empty segment, optionally with a literal prefix or suffix
/// such as "{n}.jpg") and a trailing "{*rest}" matching the remainder. The most specific
/// pattern wins whatever the registration order. HEAD requests fall back to GET routes; the
/// method "*" matches any method (the handler answers unsupported ones itself).
class Router
{
public:
    enum class Outcome { Found, NotFound, MethodNotAllowed };

    struct Match
    {
        Outcome outcome = Outcome::NotFound;
        const Route *route = nullptr;
        QHash<QString, QString> params;
        QList<QByteArray> allowedMethods; ///< for 405 answers
    };

    /// Adds a route; returns false (and adds nothing) for an invalid pattern.
    bool add(const QByteArray &method, const QString &pattern, Handler handler,
             RouteOptions options = {});
    Match match(const QByteArray &method, const QString &path) const;
    qsizetype size() const { return m_routes.size(); }

private:
    static bool matchRoute(const Route &route, const QStringList &segments,
                           QHash<QString, QString> *params);
    QList<std::shared_ptr<Route>> m_routes; // sorted, most specific first
};

} // namespace mmv::http
