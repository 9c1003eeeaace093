#pragma once

#include "server/core/realtimetypes.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QPushButton;

namespace mmv {
class ServerController;
}

namespace mmv::ui {

class ChatModel;

/// Chat as the operator: join any session, read its history and new messages, see who is
/// in it, and post as the operator.
class ChatView : public QWidget
{
    Q_OBJECT

public:
    explicit ChatView(ServerController *controller, QWidget *parent = nullptr);

    ChatModel *model() const { return m_model; }
    QListWidget *participants() const { return m_participants; }

    void join(const QString &sessionId);
    /// Joins the current session again, or the one joined last time (after a restart).
    void rejoin();
    void handleHistoryLoaded(const QString &sessionId, const QList<QJsonObject> &messages);
    void handleMessagesPosted(const QList<QJsonObject> &messages);
    void handleConnectionsListed(const QList<ConnectionInfo> &connections,
                                 const QList<RoomInfo> &rooms);

private:
    void post();
    void updateState();

    QPointer<ServerController> m_controller;
    ChatModel *m_model;
    QLineEdit *m_sessionEdit;
    QPushButton *m_joinButton;
    QLabel *m_sessionLabel;
    QListView *m_messages;
    QListWidget *m_participants;
    QLineEdit *m_messageEdit;
    QPushButton *m_postButton;
    QString m_joining;
};

} // namespace mmv::ui
