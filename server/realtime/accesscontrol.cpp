#include "accesscontrol.h"

#include "server/core/logging.h"

namespace mmv::realtime {

QString roleName(Role role)
{
    switch (role) {
    case Role::Operator:
        return QStringLiteral("operator");
    case Role::Viewer:
        return QStringLiteral("viewer");
    case Role::None:
        break;
    }
    return QStringLiteral("none");
}

AccessControl::AccessControl(QString operatorToken, QString viewerToken, bool noAuth, Limits limits)
    : m_noAuth(noAuth)
    , m_limits(limits)
{
    setTokens(operatorToken, viewerToken);
    m_clock.start();
}

void AccessControl::setTokens(const QString &operatorToken, const QString &viewerToken)
{
    m_operatorToken = operatorToken.toUtf8();
    m_viewerToken = viewerToken.toUtf8();
}

bool AccessControl::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    // Compare over the longer length so the time does not tell where they differ or how
    // long the secret is.
    const qsizetype length = qMax(a.size(), b.size());
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < length; ++i) {
        const unsigned char x = i < a.size() ? uchar(a.at(i)) : 0;
        const unsigned char y = i < b.size() ? uchar(b.at(i)) : 0;
        difference |= x ^ y;
    }
    return difference == 0;
}

bool AccessControl::isBlocked(const QHostAddress &address) const
{
    const auto it = m_attempts.constFind(address.toString());
    return it != m_attempts.cend() && it->blockedUntil > now();
}

void AccessControl::recordFailure(const QString &address)
{
    ++m_failuresTotal;
    Attempts &attempts = m_attempts[address];
    const qint64 t = now();
    attempts.failures.push_back(t);
    while (!attempts.failures.empty() && attempts.failures.front() < t - m_limits.failureWindowMs)
        attempts.failures.pop_front();
    if (int(attempts.failures.size()) >= m_limits.maxFailures) {
        attempts.blockedUntil = t + m_limits.blockMs;
        attempts.failures.clear();
        qCWarning(lcApp) << "too many failed logins from" << address << "- refusing it for"
                         << m_limits.blockMs / 1000 << "s";
    }
    // Forget addresses that stopped trying, so the table stays small.
    if (m_attempts.size() > 10'000) {
        for (auto it = m_attempts.begin(); it != m_attempts.end();) {
            if (it->blockedUntil < t
                && (it->failures.empty() || it->failures.back() < t - m_limits.failureWindowMs))
                it = m_attempts.erase(it);
            else
                ++it;
        }
    }
}

Result<Role> AccessControl::authenticate(const QString &token, const QHostAddress &address)
{
    const QString key = address.toString();
    if (isBlocked(address)) {
        return AppError{ ErrorCode::TooManyRequests,
                         QStringLiteral(
                             "too many failed attempts from this address; try again later") };
    }
    if (m_noAuth)
        return Role::Operator;
    const QByteArray given = token.toUtf8();
    if (!given.isEmpty()) {
        // Check both tokens every time: the duration must not tell which one matched.
        const bool isOperator
            = !m_operatorToken.isEmpty() && constantTimeEquals(given, m_operatorToken);
        const bool isViewer = !m_viewerToken.isEmpty() && constantTimeEquals(given, m_viewerToken);
        if (isOperator)
            return Role::Operator;
        if (isViewer)
            return Role::Viewer;
    }
    recordFailure(key);
    return AppError{ ErrorCode::Unauthorized,
                     given.isEmpty() ? QStringLiteral("a token is required")
                                     : QStringLiteral("the token is not valid") };
}

Status AccessControl::require(Role role, Role required)
{
    if (int(role) >= int(required))
        return std::nullopt;
    return AppError{ ErrorCode::Forbidden,
                     QStringLiteral("this needs the %1 role").arg(roleName(required)) };
}

} // namespace mmv::realtime
