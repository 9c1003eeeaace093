// ChatService over the real Socket.IO namespace and FileStore: sessions beyond the memory cap
// are dropped from memory when idle and come back from the store with their order and
// duplicate detection intact.

#include "server/engineio/engineserver.h"
#include "server/http/httpserver.h"
#include "server/realtime/chatservice.h"
#include "server/socketio/sioserver.h"
#include "server/storage/filestore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace mmv;
using realtime::ChatService;

class TestChatService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idleSessionsLeaveMemoryAndComeBack();

private:
    struct Posted
    {
        bool done = false;
        bool duplicate = false;
        QJsonObject message;
        QString error;
    };
    static void post(ChatService &chat, const QString &session, const QString &clientId,
                     Posted *out)
    {
        chat.post(realtime::ChatAuthor{ QStringLiteral("test"), QStringLiteral("Test"), {} },
                  QStringLiteral("user"), session, QStringLiteral("hello ") + clientId, clientId,
                  [out](Result<QJsonObject> message, bool duplicate) {
                      out->done = true;
                      out->duplicate = duplicate;
                      if (message)
                          out->message = message.value();
                      else
                          out->error = message.error().message;
                  });
    }
};

void TestChatService::idleSessionsLeaveMemoryAndComeBack()
{
    QTemporaryDir dir;
    http::HttpServer http;
    engineio::EngineServer engine(&http, engineio::EngineConfig{});
    socketio::SioServer sio(&engine);
    storage::FileStore store(dir.path());
    QVERIFY(!store.open());
    ChatService chat(sio.of(QStringLiteral("/")), &store);
    chat.setMaxCachedSessions(10);

    constexpr int Sessions = 35;
    std::vector<Posted> first(Sessions);
    for (int i = 0; i < Sessions; ++i) {
        post(chat, QStringLiteral("s%1").arg(i), QStringLiteral("c%1").arg(i), &first[size_t(i)]);
        QTRY_VERIFY(first[size_t(i)].done);
        QVERIFY2(first[size_t(i)].error.isEmpty(), qPrintable(first[size_t(i)].error));
        QCOMPARE(first[size_t(i)].message.value(u"seq").toInt(), 1);
        QVERIFY2(chat.cachedSessions() <= 10, qPrintable(QString::number(chat.cachedSessions())));
    }

    // s0 left memory long ago: its next message continues the order from the store...
    Posted second;
    post(chat, QStringLiteral("s0"), QStringLiteral("c0-b"), &second);
    QTRY_VERIFY(second.done);
    QCOMPARE(second.message.value(u"seq").toInt(), 2);
    // ...and a resend of its first message is still recognised, not posted twice.
    Posted resend;
    post(chat, QStringLiteral("s0"), QStringLiteral("c0"), &resend);
    QTRY_VERIFY(resend.done);
    QVERIFY(resend.duplicate);
    QCOMPARE(resend.message.value(u"id"), first[0].message.value(u"id"));

    bool loaded = false;
    QList<QJsonObject> history;
    chat.history(QStringLiteral("s0"), 10, [&](Result<QList<QJsonObject>> messages) {
        loaded = true;
        if (messages)
            history = messages.value();
    });
    QTRY_VERIFY(loaded);
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(0).value(u"client_msg_id").toString(), QStringLiteral("c0"));
    QCOMPARE(history.at(1).value(u"client_msg_id").toString(), QStringLiteral("c0-b"));
    QVERIFY(chat.cachedSessions() <= 10);
}

QTEST_GUILESS_MAIN(TestChatService)
#include "tst_chatservice.moc"
