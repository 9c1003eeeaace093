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

namespace mmv {
class ServerController;
}

namespace mmv::ui {

class RoomModel;

/// The rooms with their member counts, the members of the selected room, and the room
/// actions: compose an event for the room, empty it.
class RoomsView : public QWidget
{
    Q_OBJECT

public:
    explicit RoomsView(ServerController *controller, QWidget *parent = nullptr);

    RoomModel *model() const { return m_model; }
    QString currentRoom() const;
    QListWidget *memberList() const { return m_members; }

    void handleConnectionsListed(const QList<ConnectionInfo> &connections,
                                 const QList<RoomInfo> &rooms);

Q_SIGNALS:
    void composeRequested(const QString &room, const QString &socketId);

private:
    void updateMembers();
    void emptyRoom();

    QPointer<ServerController> m_controller;
    RoomModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filterEdit;
    QTableView *m_view;
    QLabel *m_membersLabel;
    QListWidget *m_members;
    QPushButton *m_emitButton;
    QPushButton *m_emptyButton;
    QList<ConnectionInfo> m_connections;
};

} // namespace mmv::ui
