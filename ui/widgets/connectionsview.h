#pragma once

#include "server/core/realtimetypes.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTreeWidget;

namespace mmv {
class ServerController;
}

namespace mmv::ui {

class ConnectionModel;

/// The live connections: a sortable, filterable table refreshed from the server's snapshot,
/// the selected connection's details, rooms and handshake (request headers and query, asked
/// for when it is selected), and the operator's actions on it (disconnect, send an event,
/// join or leave a room).
class ConnectionsView : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionsView(ServerController *controller, QWidget *parent = nullptr);

    ConnectionModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    /// The selected connection's handshake: "Request headers" and "Query" with their items.
    QTreeWidget *handshake() const { return m_handshake; }
    /// The socket id of the current row, or empty.
    QString currentSocketId() const;

    void handleConnectionsListed(const QList<ConnectionInfo> &connections,
                                 const QList<RoomInfo> &rooms);
    void handleConnectionDetail(const QString &socketId, bool found,
                                const ConnectionInfo &connection);

Q_SIGNALS:
    /// The operator wants to compose an event for a room or a socket (the broadcast form).
    void composeRequested(const QString &room, const QString &socketId);

private:
    void updateDetails();
    void updateCount();
    void disconnectCurrent();
    void joinRoom();
    void leaveRoom();

    QPointer<ServerController> m_controller;
    ConnectionModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filterEdit;
    QLabel *m_countLabel;
    QTableView *m_view;
    QPushButton *m_disconnectButton;
    QPushButton *m_sendButton;
    QPushButton *m_joinButton;
    QPushButton *m_leaveButton;
    QLabel *m_details;
    QListWidget *m_roomList;
    QTreeWidget *m_handshake;
    QString m_detailFor; ///< the socket whose handshake is shown or asked for
    quint16 m_detailPort = 0;
};

} // namespace mmv::ui
