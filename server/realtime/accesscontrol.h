#pragma once

#include "server/core/apperror.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QString>

#include <deque>

namespace mmv::realtime {

enum class Role { None, Viewer, Operator };
QString roleName(Role role);

/// Decides who a token belongs to, and refuses addresses that keep guessing.
///
/// Tokens are compared in constant time. After `maxFailures` failed attempts within
/// `failureWindowMs`, an address is refused for `blockMs` (even with a right token), and
/// that is logged with the address. With noAuth every client is an operator.
class AccessControl
{
public:
    struct Limits
    {
        int maxFailures = 10;
        qint64 failureWindowMs = 60'000;
        qint64 blockMs = 5 * 60'000;
    };

    AccessControl(QString operatorToken, QString viewerToken, bool noAuth, Limits limits);
    AccessControl(QString operatorToken, QString viewerToken, bool noAuth)
        : AccessControl(std::move(operatorToken), std::move(viewerToken), noAuth, Limits{})
    { }

    void setTokens(const QString &operatorToken, const QString &viewerToken);
    bool noAuth() const { return m_noAuth; }

    /// The role of `token`; Unauthorized for a missing or wrong token, TooManyRequests for a
    /// blocked address.
    Result<Role> authenticate(const QString &token, const QHostAddress &address);
    /// Forbidden unless `role` is at least `required`.
    static Status require(Role role, Role required);

    bool isBlocked(const QHostAddress &address) const;
    qint64 failuresTotal() const { return m_failuresTotal; }

    /// Equal contents, in time independent of where they differ.
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

private:
    struct Attempts
    {
        std::deque<qint64> failures; ///< times of recent failures, ms
        qint64 blockedUntil = 0;
    };
    qint64 now() const { return m_clock.elapsed(); }
    void recordFailure(const QString &address);

    QByteArray m_operatorToken;
    QByteArray m_viewerToken;
    bool m_noAuth = false;
    Limits m_limits;
    QElapsedTimer m_clock;
    QHash<QString, Attempts> m_attempts;
    qint64 m_failuresTotal = 0;
};

} // namespace mmv::realtime
