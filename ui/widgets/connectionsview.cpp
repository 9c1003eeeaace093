#include "connectionsview.h"

#include "columnchooser.h"
#include "columnwidths.h"

#include "ui/models/connectionmodel.h"
#include "ui/uitext.h"

#include "server/core/servercontroller.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mmv::ui {

ConnectionsView::ConnectionsView(ServerController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new ConnectionModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filterEdit(new QLineEdit(this))
    , m_countLabel(new QLabel(this))
    , m_view(new QTableView(this))
    , m_disconnectButton(new QPushButton(tr("&Disconnect"), this))
    , m_sendButton(new QPushButton(tr("&Send Event…"), this))
    , m_joinButton(new QPushButton(tr("&Join Room…"), this))
    , m_leaveButton(new QPushButton(tr("&Leave Room…"), this))
    , m_details(new QLabel(this))
    , m_roomList(new QListWidget(this))
    , m_handshake(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("connectionsView"));
    m_model->setObjectName(QStringLiteral("connectionModel"));
    m_proxy->setObjectName(QStringLiteral("connectionProxyModel"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ConnectionModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setDynamicSortFilter(true);

    m_filterEdit->setObjectName(QStringLiteral("connectionFilterEdit"));
    m_filterEdit->setPlaceholderText(tr("Filter by id, name, address, room…"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setToolTip(tr("Shows only the connections with this text in any column"));
    m_countLabel->setObjectName(QStringLiteral("connectionCountLabel"));

    m_disconnectButton->setObjectName(QStringLiteral("disconnectButton"));
    m_disconnectButton->setToolTip(tr("Close the selected connection"));
    m_sendButton->setObjectName(QStringLiteral("sendToSocketButton"));
    m_sendButton->setToolTip(tr("Compose an event for the selected connection"));
    m_joinButton->setObjectName(QStringLiteral("joinRoomButton"));
    m_joinButton->setToolTip(tr("Put the selected connection into a room"));
    m_leaveButton->setObjectName(QStringLiteral("leaveRoomButton"));
    m_leaveButton->setToolTip(tr("Take the selected connection out of one of its rooms"));

    m_view->setObjectName(QStringLiteral("connectionsTable"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ConnectionModel::ConnectedColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Widths from typical contents, so that every column fits at 1280 pixels next to the
    // details; the titles are never cut (fitColumnTitles).
    {
        const QFontMetrics metrics = m_view->fontMetrics();
        const int pad = 3 * metrics.averageCharWidth();
        const auto width = [&](const char *sample) {
            return metrics.horizontalAdvance(QString::fromLatin1(sample)) + pad;
        };
        QHeaderView *header = m_view->horizontalHeader();
        header->resizeSection(ConnectionModel::IdColumn, width("mSc9f7MwDLsrmQyzGpWM"));
        header->resizeSection(ConnectionModel::NameColumn, width("Dmitri (phone)"));
        header->resizeSection(ConnectionModel::RoleColumn, width("operator"));
        header->resizeSection(ConnectionModel::AddressColumn, width("192.168.100.200"));
        header->resizeSection(ConnectionModel::TransportColumn, width("websocket"));
        header->resizeSection(ConnectionModel::UserAgentColumn, width("Mozilla/5.0 (X11; Linux)"));
        header->resizeSection(ConnectionModel::ConnectedColumn, width("00:00:00"));
        header->resizeSection(ConnectionModel::RoomsColumn, width("chat:lobby, processing:v_1"));
        for (int column : { ConnectionModel::MessagesInColumn, ConnectionModel::MessagesOutColumn,
                            ConnectionModel::BytesInColumn, ConnectionModel::BytesOutColumn })
            header->resizeSection(column, width("99,999"));
        fitColumnTitles(header);
        // The rooms take what is left; the details beside the table show everything of the
        // selected connection, so the transport, user agent and byte counts start hidden
        // (the header's context menu shows them): at 1280 pixels nothing scrolls sideways.
        header->setSectionResizeMode(ConnectionModel::RoomsColumn, QHeaderView::Stretch);
        new ColumnChooser(header, QStringLiteral("connections/hiddenColumns"),
                          { ConnectionModel::TransportColumn, ConnectionModel::UserAgentColumn,
                            ConnectionModel::BytesInColumn, ConnectionModel::BytesOutColumn });
    }

    m_details->setObjectName(QStringLiteral("connectionDetails"));
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setWordWrap(true);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_roomList->setObjectName(QStringLiteral("connectionRoomList"));
    m_roomList->setToolTip(tr("The rooms this connection is in"));
    m_handshake->setObjectName(QStringLiteral("connectionHandshake"));
    m_handshake->setColumnCount(2);
    m_handshake->setHeaderLabels({ tr("Name"), tr("Value") });
    m_handshake->setRootIsDecorated(true);
    m_handshake->setUniformRowHeights(true);
    m_handshake->setWordWrap(false);
    m_handshake->setAlternatingRowColors(true);
    m_handshake->setToolTip(
        tr("The request that opened the connection; tokens and cookies are not shown"));

    auto *toolbar = new QHBoxLayout;
    toolbar->addWidget(m_filterEdit, 1);
    toolbar->addWidget(m_countLabel);
    toolbar->addSpacing(12);
    toolbar->addWidget(m_disconnectButton);
    toolbar->addWidget(m_sendButton);
    toolbar->addWidget(m_joinButton);
    toolbar->addWidget(m_leaveButton);

    auto *detailBox = new QGroupBox(tr("Selected connection"), this);
    auto *detailLayout = new QVBoxLayout(detailBox);
    detailLayout->addWidget(m_details);
    auto *roomsLabel = new QLabel(tr("Roo&ms:"), detailBox);
    roomsLabel->setBuddy(m_roomList);
    detailLayout->addWidget(roomsLabel);
    detailLayout->addWidget(m_roomList, 1);
    auto *handshakeLabel = new QLabel(tr("Handsha&ke:"), detailBox);
    handshakeLabel->setBuddy(m_handshake);
    detailLayout->addWidget(handshakeLabel);
    detailLayout->addWidget(m_handshake, 2);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("connectionsSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_view);
    splitter->addWidget(detailBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    // Room for the handshake's header names and values.
    detailBox->setMinimumWidth(m_view->fontMetrics().averageCharWidth() * 44);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(toolbar);
    layout->addWidget(splitter, 1);

    setTabOrder(m_filterEdit, m_disconnectButton);
    setTabOrder(m_disconnectButton, m_sendButton);
    setTabOrder(m_sendButton, m_joinButton);
    setTabOrder(m_joinButton, m_leaveButton);
    setTabOrder(m_leaveButton, m_view);
    setTabOrder(m_view, m_roomList);
    setTabOrder(m_roomList, m_handshake);

    connect(m_filterEdit, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_filterEdit, &QLineEdit::textChanged, this, &ConnectionsView::updateCount);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ConnectionsView::updateDetails);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &ConnectionsView::updateDetails);
    connect(m_disconnectButton, &QPushButton::clicked, this, &ConnectionsView::disconnectCurrent);
    connect(m_sendButton, &QPushButton::clicked, this,
            [this] { Q_EMIT composeRequested({}, currentSocketId()); });
    connect(m_joinButton, &QPushButton::clicked, this, &ConnectionsView::joinRoom);
    connect(m_leaveButton, &QPushButton::clicked, this, &ConnectionsView::leaveRoom);
    connect(m_view, &QTableView::doubleClicked, this,
            [this] { Q_EMIT composeRequested({}, currentSocketId()); });
    if (m_controller) {
        connect(m_controller, &ServerController::connectionsListed, this,
                &ConnectionsView::handleConnectionsListed);
        connect(m_controller, &ServerController::connectionDetailLoaded, this,
                &ConnectionsView::handleConnectionDetail);
    }
    updateDetails();
    updateCount();
}

QString ConnectionsView::currentSocketId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(ConnectionModel::IdRole).toString() : QString();
}

void ConnectionsView::handleConnectionsListed(const QList<ConnectionInfo> &connections,
                                              const QList<RoomInfo> &)
{
    m_model->applySnapshot(connections);
    updateCount();
    updateDetails();
}

void ConnectionsView::updateCount()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_countLabel->setText(shown == total ? tr("%n connection(s)", "", total)
                                         : tr("%1 of %n connection(s)", "", total).arg(shown));
}

void ConnectionsView::updateDetails()
{
    const QString id = currentSocketId();
    const int row = m_model->rowOf(id);
    const bool selected = row >= 0;
    m_disconnectButton->setEnabled(selected);
    m_sendButton->setEnabled(selected);
    m_joinButton->setEnabled(selected);
    if (!selected) {
        m_details->setText(tr("Select a connection to see its details."));
        m_roomList->clear();
        m_handshake->clear();
        m_detailFor.clear();
        m_leaveButton->setEnabled(false);
        return;
    }
    // The handshake is not in the periodic list: ask once per selected connection.
    if (id != m_detailFor) {
        m_detailFor = id;
        m_detailPort = 0;
        m_handshake->clear();
        new QTreeWidgetItem(m_handshake, { tr("Loading…") });
        if (m_controller)
            m_controller->requestConnectionDetail(id);
    }
    const ConnectionInfo &c = m_model->item(row);
    const QLocale locale;
    const QString none = UiText::none();
    auto line = [](const QString &label, const QString &value) {
        return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
            .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table cellspacing=\"2\">");
    html += line(tr("Socket ID"), c.id);
    html += line(tr("Engine session"), c.engineId);
    html += line(tr("Namespace"), c.nsp);
    html += line(tr("Name"), c.name.isEmpty() ? none : c.name);
    html += line(tr("Role"), c.role.isEmpty() ? none : c.role);
    html
        += line(tr("Address"),
                m_detailPort != 0 ? QStringLiteral("%1 : %2").arg(c.remoteAddress).arg(m_detailPort)
                                  : c.remoteAddress);
    html += line(tr("Transport"), c.transport);
    html += line(tr("User agent"), c.userAgent.isEmpty() ? none : c.userAgent);
    html += line(tr("Connected since"),
                 locale.toString(c.connectedAt.toLocalTime(), QLocale::ShortFormat));
    html += line(
        tr("Messages"),
        tr("%1 in, %2 out").arg(locale.toString(c.messagesIn), locale.toString(c.messagesOut)));
    html
        += line(tr("Data"),
                tr("%1 in, %2 out").arg(UiText::dataSize(c.bytesIn), UiText::dataSize(c.bytesOut)));
    html += QStringLiteral("</table>");
    m_details->setText(html);

    QStringList current;
    for (int i = 0; i < m_roomList->count(); ++i)
        current.append(m_roomList->item(i)->text());
    if (current != c.rooms) {
        m_roomList->clear();
        m_roomList->addItems(c.rooms);
    }
    m_leaveButton->setEnabled(!c.rooms.isEmpty());
}

void ConnectionsView::handleConnectionDetail(const QString &socketId, bool found,
                                             const ConnectionInfo &connection)
{
    if (socketId != m_detailFor)
        return; // an answer for a connection no longer selected
    m_handshake->clear();
    if (!found) {
        new QTreeWidgetItem(m_handshake, { tr("The connection is gone.") });
        return;
    }
    m_detailPort = connection.remotePort;
    // Section rows span both columns: "Request headers (5)".
    auto *headers = new QTreeWidgetItem(
        m_handshake, { tr("Request headers (%n)", "", int(connection.headers.size())) });
    headers->setData(0, Qt::UserRole, QStringLiteral("headers"));

    for (const auto &[name, value] : connection.headers) {
        auto *item = new QTreeWidgetItem(headers, { name, value });
        item->setToolTip(1, value);
    }
    // The query as the server decoded it, one parameter a row.
    auto *query
        = new QTreeWidgetItem(m_handshake, { tr("Query (%n)", "", int(connection.query.size())) });
    query->setData(0, Qt::UserRole, QStringLiteral("query"));
    for (const auto &[name, value] : connection.query) {
        auto *item = new QTreeWidgetItem(query, { name, value });
        item->setToolTip(1, value);
    }
    headers->setFirstColumnSpanned(true);
    query->setFirstColumnSpanned(true);
    m_handshake->expandAll();
    m_handshake->resizeColumnToContents(0);
    updateDetails();
}

void ConnectionsView::disconnectCurrent()
{
    const QString id = currentSocketId();
    if (id.isEmpty() || !m_controller)
        return;
    if (QMessageBox::question(this, tr("Disconnect"), tr("Disconnect the connection %1?").arg(id))
        != QMessageBox::Yes)
        return;
    m_controller->disconnectClient(id);
}

void ConnectionsView::joinRoom()
{
    const QString id = currentSocketId();
    if (id.isEmpty() || !m_controller)
        return;
    bool ok = false;
    const QString room = QInputDialog::getText(this, tr("Join Room"), tr("Room for %1:").arg(id),
                                               QLineEdit::Normal, {}, &ok)
                             .trimmed();
    if (ok && !room.isEmpty())
        m_controller->joinRoom(id, room);
}

void ConnectionsView::leaveRoom()
{
    const QString id = currentSocketId();
    const int row = m_model->rowOf(id);
    if (row < 0 || !m_controller)
        return;
    const QStringList rooms = m_model->item(row).rooms;
    const QString selected
        = m_roomList->currentItem() ? m_roomList->currentItem()->text() : QString();
    bool ok = false;
    const QString room
        = QInputDialog::getItem(this, tr("Leave Room"), tr("Room that %1 leaves:").arg(id), rooms,
                                qMax(0, int(rooms.indexOf(selected))), false, &ok);
    if (ok && !room.isEmpty())
        m_controller->leaveRoom(id, room);
}

} // namespace mmv::ui
