#pragma once

// A deliberately low-level HTTP/1.1 client for tests: writes exact bytes and parses every
// response it receives (including interim 100 Continue), so tests can check pipelining,
// keep-alive and how the server closes connections.

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpSocket>

#include <optional>

struct RawResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

class RawHttpClient : public QObject
{
public:
    explicit RawHttpClient(QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&socket, &QTcpSocket::readyRead, this, [this] {
            buffer += socket.readAll();
            parse();
        });
        connect(&socket, &QTcpSocket::disconnected, this, [this] { closed = true; });
    }

    bool connectTo(quint16 port, const QHostAddress &address = QHostAddress::LocalHost)
    {
        socket.connectToHost(address, port);
        return socket.waitForConnected(5000);
    }

    void send(const QByteArray &data)
    {
        socket.write(data);
        socket.flush();
    }

    /// A complete GET with the headers a browser-less client sends.
    static QByteArray get(const QByteArray &path, const QByteArray &extraHeaders = {})
    {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
    }

    static QByteArray post(const QByteArray &path, const QByteArray &body,
                           const QByteArray &extraHeaders = {})
    {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n"
            + body;
    }

    QList<RawResponse> responses;
    QByteArray buffer;
    bool closed = false;
    QTcpSocket socket;

private:
    void parse()
    {
        for (;;) {
            const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
            RawResponse response;
            const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
            response.status = statusLine.value(1).toInt();
            qsizetype length = 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0)
                    continue;
                response.headers.append(
                    { line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
                if (line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                    length = line.mid(colon + 1).trimmed().toLongLong();
            }
            if (response.status == 304 || response.status == 204 || response.status < 200
                || headRequests > 0) {
                if (headRequests > 0 && response.status >= 200)
                    --headRequests;
                length = 0;
            }
            if (buffer.size() < headEnd + 4 + length)
                return;
            response.body = buffer.mid(headEnd + 4, length);
            buffer.remove(0, headEnd + 4 + length);
            responses.append(response);
        }
    }

public:
    int headRequests = 0; ///< responses to HEAD requests still expected (they have no body)
};
