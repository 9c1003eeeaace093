#include "chatview.h"

#include "ui/models/chatmodel.h"

#include "server/core/servercontroller.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>

namespace mmv::ui {

ChatView::ChatView(ServerController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new ChatModel(this))
    , m_sessionEdit(new QLineEdit(this))
    , m_joinButton(new QPushButton(tr("&Join"), this))
    , m_sessionLabel(new QLabel(this))
    , m_messages(new QListView(this))
    , m_participants(new QListWidget(this))
    , m_messageEdit(new QLineEdit(this))
    , m_postButton(new QPushButton(tr("&Post"), this))
{
    setObjectName(QStringLiteral("chatView"));
    m_model->setObjectName(QStringLiteral("chatModel"));
    m_sessionEdit->setObjectName(QStringLiteral("chatSessionEdit"));
    m_sessionEdit->setPlaceholderText(tr("Session id, e.g. lobby"));
    m_sessionEdit->setToolTip(tr("1 to 128 characters: letters, digits, _ . -"));
    m_sessionEdit->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[A-Za-z0-9_.-]{1,128}")), m_sessionEdit));
    m_joinButton->setObjectName(QStringLiteral("chatJoinButton"));
    m_joinButton->setToolTip(tr("Load the session's history and follow it"));
    m_sessionLabel->setObjectName(QStringLiteral("chatSessionLabel"));
    m_messages->setObjectName(QStringLiteral("chatMessages"));
    m_messages->setModel(m_model);
    m_messages->setWordWrap(true);
    m_messages->setAlternatingRowColors(true);
    m_messages->setUniformItemSizes(false);
    m_participants->setObjectName(QStringLiteral("chatParticipants"));
    m_messageEdit->setObjectName(QStringLiteral("chatMessageEdit"));
    m_messageEdit->setPlaceholderText(tr("Message as the operator"));
    m_messageEdit->setMaxLength(4000);
    m_postButton->setObjectName(QStringLiteral("chatPostButton"));
    m_postButton->setToolTip(tr("Post the message to everybody in the session"));

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Session:"), this));
    top->addWidget(m_sessionEdit, 1);
    top->addWidget(m_joinButton);
    top->addWidget(m_sessionLabel, 2);

    auto *participantsBox = new QGroupBox(tr("In the session"), this);
    auto *participantsLayout = new QVBoxLayout(participantsBox);
    participantsLayout->addWidget(m_participants);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("chatSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_messages);
    splitter->addWidget(participantsBox);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_messageEdit, 1);
    bottom->addWidget(m_postButton);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    layout->addLayout(bottom);

    connect(m_sessionEdit, &QLineEdit::returnPressed, this,
            [this] { join(m_sessionEdit->text()); });
    connect(m_joinButton, &QPushButton::clicked, this, [this] { join(m_sessionEdit->text()); });
    connect(m_sessionEdit, &QLineEdit::textChanged, this, &ChatView::updateState);
    connect(m_messageEdit, &QLineEdit::textChanged, this, &ChatView::updateState);
    connect(m_messageEdit, &QLineEdit::returnPressed, this, &ChatView::post);
    connect(m_postButton, &QPushButton::clicked, this, &ChatView::post);
    connect(m_model, &QAbstractItemModel::rowsInserted, m_messages, &QListView::scrollToBottom);
    connect(m_model, &QAbstractItemModel::modelReset, m_messages, &QListView::scrollToBottom);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ChatView::updateState);
    if (m_controller) {
        connect(m_controller, &ServerController::chatHistoryLoaded, this,
                &ChatView::handleHistoryLoaded);
        connect(m_controller, &ServerController::chatMessagesPosted, this,
                &ChatView::handleMessagesPosted);
        connect(m_controller, &ServerController::connectionsListed, this,
                &ChatView::handleConnectionsListed);
    }
    updateState();
}

void ChatView::join(const QString &sessionId)
{
    const QString id = sessionId.trimmed();
    if (id.isEmpty() || !m_controller)
        return;
    m_sessionEdit->setText(id);
    m_joining = id;
    m_sessionLabel->setText(tr("Joining %1…").arg(id));
    m_controller->joinChat(id);
    QSettings().setValue(QStringLiteral("chat/session"), id);
}

void ChatView::rejoin()
{
    const QString session = m_model->sessionId().isEmpty()
        ? QSettings().value(QStringLiteral("chat/session")).toString()
        : m_model->sessionId();
    if (!session.isEmpty())
        join(session);
}

void ChatView::handleHistoryLoaded(const QString &sessionId, const QList<QJsonObject> &messages)
{
    if (sessionId != m_joining && sessionId != m_model->sessionId())
        return;
    m_model->setHistory(sessionId, messages);
    m_joining.clear();
    updateState();
}

void ChatView::handleMessagesPosted(const QList<QJsonObject> &messages)
{
    m_model->appendMessages(messages);
}

void ChatView::handleConnectionsListed(const QList<ConnectionInfo> &connections,
                                       const QList<RoomInfo> &)
{
    const QString session = m_model->sessionId();
    QStringList people;
    if (!session.isEmpty()) {
        const QString room = QStringLiteral("chat:") + session;
        for (const ConnectionInfo &c : connections) {
            if (c.rooms.contains(room))
                people.append(c.name.isEmpty() ? c.id : tr("%1 (%2)").arg(c.name, c.role));
        }
    }
    people.sort(Qt::CaseInsensitive);
    QStringList shown;
    for (int i = 0; i < m_participants->count(); ++i)
        shown.append(m_participants->item(i)->text());
    if (shown != people) {
        m_participants->clear();
        m_participants->addItems(people);
    }
}

void ChatView::post()
{
    const QString text = m_messageEdit->text().trimmed();
    const QString session = m_model->sessionId();
    if (text.isEmpty() || session.isEmpty() || !m_controller)
        return;
    m_controller->postChat(session, text);
    m_messageEdit->clear();
}

void ChatView::updateState()
{
    const QString session = m_model->sessionId();
    if (m_joining.isEmpty()) {
        m_sessionLabel->setText(
            session.isEmpty() ? tr("Not in a session")
                              : tr("In %1 · %n message(s)", "", m_model->rowCount()).arg(session));
    }
    m_joinButton->setEnabled(m_sessionEdit->hasAcceptableInput() && m_controller);
    m_messageEdit->setEnabled(!session.isEmpty());
    m_postButton->setEnabled(!session.isEmpty() && !m_messageEdit->text().trimmed().isEmpty()
                             && m_controller);
}

} // namespace mmv::ui
