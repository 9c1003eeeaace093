#include "router.h"

#include <QRegularExpression>

#include <tuple>

namespace mmv::http {

namespace {

std::optional<QList<Route::Segment>> parsePattern(const QString &pattern, int *specificity)
{
    if (!pattern.startsWith(QLatin1Char('/')))
        return std::nullopt;
    static const QRegularExpression paramRe(
        QStringLiteral("^([^{}]*)\\{([A-Za-z_][A-Za-z0-9_]*)\\}([^{}]*)$"));
    static const QRegularExpression restRe(QStringLiteral("^\\{\\*([A-Za-z_][A-Za-z0-9_]*)\\}$"));
    QList<Route::Segment> segments;
    const QStringList parts = pattern.mid(1).split(QLatin1Char('/'));
    int score = 0;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString &part = parts.at(i);
        Route::Segment segment;
        if (const auto rest = restRe.match(part); rest.hasMatch()) {
            if (i != parts.size() - 1)
                return std::nullopt; // a rest parameter must come last
            segment.kind = Route::Segment::Kind::Rest;
            segment.literal = rest.captured(1);
        } else if (part.contains(QLatin1Char('{')) || part.contains(QLatin1Char('}'))) {
            const auto param = paramRe.match(part);
            if (!param.hasMatch())
                return std::nullopt;
            segment.kind = Route::Segment::Kind::Param;
            segment.prefix = param.captured(1);
            segment.literal = param.captured(2);
            segment.suffix = param.captured(3);
            score = score * 4 + (segment.prefix.isEmpty() && segment.suffix.isEmpty() ? 2 : 3);
        } else {
            segment.literal = part;
            score = score * 4 + 4;
        }
        if (segment.kind == Route::Segment::Kind::Rest)
            score = score * 4 + 1;
        segments.append(segment);
    }
    // Longer literal-rich patterns first; a rest parameter matches anything so it ranks last.
    *specificity = score;
    return segments;
}

} // namespace

bool Router::add(const QByteArray &method, const QString &pattern, Handler handler,
                 RouteOptions options)
{
    int specificity = 0;
    auto segments = parsePattern(pattern, &specificity);
    if (!segments)
        return false;
    auto route = std::make_shared<Route>();
    route->method = method.toUpper();
    route->pattern = pattern;
    route->handler = std::move(handler);
    route->options = std::move(options);
    route->segments = *segments;
    route->specificity = specificity;
    m_routes.append(route);
    // Most specific first: exact-length patterns before rest patterns, then the patterns
    // with more segments, then literals before parameters segment by segment.
    const auto key = [](const std::shared_ptr<Route> &r) {
        const bool rest = r->segments.last().kind == Route::Segment::Kind::Rest;
        return std::tuple(!rest, r->segments.size(), r->specificity);
    };
    std::stable_sort(m_routes.begin(), m_routes.end(),
                     [&](const auto &a, const auto &b) { return key(a) > key(b); });
    return true;
}

bool Router::matchRoute(const Route &route, const QStringList &segments,
                        QHash<QString, QString> *params)
{
    const auto &pattern = route.segments;
    const bool hasRest = pattern.last().kind == Route::Segment::Kind::Rest;
    const qsizetype fixed = hasRest ? pattern.size() - 1 : pattern.size();
    if (hasRest ? segments.size() < fixed : segments.size() != fixed)
        return false;
    QHash<QString, QString> found;
    for (qsizetype i = 0; i < fixed; ++i) {
        const Route::Segment &p = pattern.at(i);
        const QString &s = segments.at(i);
        if (p.kind == Route::Segment::Kind::Literal) {
            if (s != p.literal)
                return false;
            continue;
        }
        if (s.size() <= p.prefix.size() + p.suffix.size() || !s.startsWith(p.prefix)
            || !s.endsWith(p.suffix))
            return false;
        found.insert(p.literal,
                     s.mid(p.prefix.size(), s.size() - p.prefix.size() - p.suffix.size()));
    }
    if (hasRest)
        found.insert(pattern.last().literal, segments.mid(fixed).join(QLatin1Char('/')));
    *params = std::move(found);
    return true;
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    Match result;
    if (!path.startsWith(QLatin1Char('/')))
        return result;
    const QStringList segments = path.mid(1).split(QLatin1Char('/'));
    const QByteArray wanted = method.toUpper();
    const Route *headFallback = nullptr;
    bool fixedRouteMismatch = false; // a non-catch-all route matched, for other methods
    QHash<QString, QString> headParams;
    for (const auto &route : m_routes) {
        QHash<QString, QString> params;
        if (!matchRoute(*route, segments, &params))
            continue;
        if (route->method == wanted || route->method == "*") {
            // A catch-all must not hide that a more specific route exists for other methods.
            if (route->segments.last().kind == Route::Segment::Kind::Rest && fixedRouteMismatch)
                break;
            result.outcome = Outcome::Found;
            result.route = route.get();
            result.params = std::move(params);
            return result;
        }
        if (wanted == "HEAD" && route->method == "GET" && !headFallback
            && (route->segments.last().kind != Route::Segment::Kind::Rest || !fixedRouteMismatch)) {
            headFallback = route.get();
            headParams = std::move(params);
        }
        if (route->segments.last().kind != Route::Segment::Kind::Rest)
            fixedRouteMismatch = true;
        if (!result.allowedMethods.contains(route->method))
            result.allowedMethods.append(route->method);
    }
    if (headFallback) {
        result.outcome = Outcome::Found;
        result.route = headFallback;
        result.params = std::move(headParams);
        return result;
    }
    if (!result.allowedMethods.isEmpty())
        result.outcome = Outcome::MethodNotAllowed;
    return result;
}

} // namespace mmv::http
