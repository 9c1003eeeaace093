#pragma once

#include "httprequest.h"

#include "server/core/apperror.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QPointer>

#include <functional>
#include <memory>

namespace mmv::http {

class HttpConnection;

/// A response: status, headers and either an in-memory body or a device streamed in
/// bounded chunks (files). Content-Length, Date and Connection are added by the server.
struct HttpResponse
{
    int status = 200;
    HeaderList headers;
    QByteArray body;
    std::shared_ptr<QIODevice> stream; ///< streamed instead of `body` when set
    qint64 streamLength = -1;
    bool closeConnection = false;

    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;

    static HttpResponse json(int status, const QJsonObject &object);
    static HttpResponse json(int status, const QJsonDocument &document);
    static HttpResponse error(const AppError &error);
    static HttpResponse error(ErrorCode code, const QString &message);
    static HttpResponse noContent(int status = 204);
    static QByteArray reasonPhrase(int status);
};

/// A handle to the response of one request. Handlers answer through it, at once or later
/// (long-polling). Copyable; only the first send() counts. Use it in the network thread only.
class HttpResponder
{
public:
    HttpResponder() = default;

    void send(HttpResponse response) const;
    /// False once the client has gone or a response was sent.
    bool isPending() const;
    /// Called once if the connection closes before a response was sent.
    void setAbortHandler(std::function<void()> handler) const;

    struct State;

private:
    friend class HttpConnection;
    explicit HttpResponder(std::shared_ptr<State> state)
        : m_state(std::move(state))
    { }
    std::shared_ptr<State> m_state;
};

struct HttpResponder::State
{
    QPointer<HttpConnection> connection;
    quint64 sequence = 0;
    bool done = false;
    std::function<void()> abortHandler;
};

} // namespace mmv::http
