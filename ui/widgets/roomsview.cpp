#include "roomsview.h"

#include "columnwidths.h"

#include "ui/models/roommodel.h"

#include "server/core/servercontroller.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace mmv::ui {

RoomsView::RoomsView(ServerController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new RoomModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filterEdit(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_membersLabel(new QLabel(this))
    , m_members(new QListWidget(this))
    , m_emitButton(new QPushButton(tr("&Emit to Room…"), this))
    , m_emptyButton(new QPushButton(tr("E&mpty Room"), this))
{
    setObjectName(QStringLiteral("roomsView"));
    m_model->setObjectName(QStringLiteral("roomModel"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RoomModel::SortRole);
    m_proxy->setFilterKeyColumn(RoomModel::NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setDynamicSortFilter(true);

    m_filterEdit->setObjectName(QStringLiteral("roomFilterEdit"));
    m_filterEdit->setPlaceholderText(tr("Filter rooms"));
    m_filterEdit->setClearButtonEnabled(true);
    m_emitButton->setObjectName(QStringLiteral("emitToRoomButton"));
    m_emitButton->setToolTip(tr("Compose an event for every member of the selected room"));
    m_emptyButton->setObjectName(QStringLiteral("emptyRoomButton"));
    m_emptyButton->setToolTip(tr("Take every member out of the selected room"));

    m_view->setObjectName(QStringLiteral("roomsTable"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RoomModel::NameColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(RoomModel::NameColumn, QHeaderView::Stretch);
    fitColumnTitles(m_view->horizontalHeader());
    m_members->setObjectName(QStringLiteral("roomMemberList"));

    auto *toolbar = new QHBoxLayout;
    toolbar->addWidget(m_filterEdit, 1);
    toolbar->addWidget(m_emitButton);
    toolbar->addWidget(m_emptyButton);

    auto *memberPane = new QWidget(this);
    auto *memberLayout = new QVBoxLayout(memberPane);
    memberLayout->setContentsMargins(0, 0, 0, 0);
    memberLayout->addWidget(m_membersLabel);
    memberLayout->addWidget(m_members, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("roomsSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_view);
    splitter->addWidget(memberPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(toolbar);
    layout->addWidget(splitter, 1);

    connect(m_filterEdit, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RoomsView::updateMembers);
    connect(m_emitButton, &QPushButton::clicked, this,
            [this] { Q_EMIT composeRequested(currentRoom(), {}); });
    connect(m_emptyButton, &QPushButton::clicked, this, &RoomsView::emptyRoom);
    if (m_controller) {
        connect(m_controller, &ServerController::connectionsListed, this,
                &RoomsView::handleConnectionsListed);
    }
    updateMembers();
}

QString RoomsView::currentRoom() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(RoomModel::NameRole).toString() : QString();
}

void RoomsView::handleConnectionsListed(const QList<ConnectionInfo> &connections,
                                        const QList<RoomInfo> &rooms)
{
    m_connections = connections;
    m_model->applySnapshot(rooms);
    updateMembers();
}

void RoomsView::updateMembers()
{
    const QString room = currentRoom();
    m_emitButton->setEnabled(!room.isEmpty());
    m_emptyButton->setEnabled(!room.isEmpty());
    if (room.isEmpty()) {
        m_membersLabel->setText(tr("Select a room to see its members."));
        m_members->clear();
        return;
    }
    QStringList members;
    for (const ConnectionInfo &c : std::as_const(m_connections)) {
        if (c.rooms.contains(room)) {
            members.append(c.name.isEmpty() ? c.id : tr("%1 (%2, %3)").arg(c.id, c.name, c.role));
        }
    }
    m_membersLabel->setText(tr("Members of %1: %n", "", int(members.size())).arg(room));
    QStringList shown;
    for (int i = 0; i < m_members->count(); ++i)
        shown.append(m_members->item(i)->text());
    if (shown != members) {
        m_members->clear();
        m_members->addItems(members);
    }
}

void RoomsView::emptyRoom()
{
    const QString room = currentRoom();
    if (room.isEmpty() || !m_controller)
        return;
    QStringList ids;
    for (const ConnectionInfo &c : std::as_const(m_connections)) {
        if (c.rooms.contains(room))
            ids.append(c.id);
    }
    if (ids.isEmpty())
        return;
    if (QMessageBox::question(
            this, tr("Empty Room"),
            tr("Take %n connection(s) out of the room %1?", "", int(ids.size())).arg(room))
        != QMessageBox::Yes)
        return;
    for (const QString &id : std::as_const(ids))
        m_controller->leaveRoom(id, room);
}

} // namespace mmv::ui
