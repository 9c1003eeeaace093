#include "broadcastview.h"

#include "columnwidths.h"

#include "ui/models/broadcasthistorymodel.h"

#include "server/core/servercontroller.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace mmv::ui {

namespace {
QString timestamp()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString pretty(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
}
} // namespace

BroadcastView::BroadcastView(ServerController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_history(new BroadcastHistoryModel(this))
    , m_targetKind(new QComboBox(this))
    , m_targetEdit(new QLineEdit(this))
    , m_eventEdit(new QLineEdit(this))
    , m_templateBox(new QComboBox(this))
    , m_payloadEdit(new QPlainTextEdit(this))
    , m_validationLabel(new QLabel(this))
    , m_sendButton(new QPushButton(tr("&Send"), this))
    , m_historyView(new QTableView(this))
{
    setObjectName(QStringLiteral("broadcastView"));
    m_history->setObjectName(QStringLiteral("broadcastHistoryModel"));

    m_targetKind->setObjectName(QStringLiteral("broadcastTargetKind"));
    m_targetKind->addItem(tr("Everybody"));
    m_targetKind->addItem(tr("Room"));
    m_targetKind->addItem(tr("Socket"));
    m_targetKind->setToolTip(tr("Who receives the event"));
    m_targetEdit->setObjectName(QStringLiteral("broadcastTargetEdit"));
    m_targetEdit->setToolTip(tr("The room name or the socket id"));
    m_eventEdit->setObjectName(QStringLiteral("broadcastEventEdit"));
    m_eventEdit->setPlaceholderText(tr("Event name, e.g. notification"));
    m_eventEdit->setToolTip(tr("The Socket.IO event name the clients receive"));
    m_templateBox->setObjectName(QStringLiteral("broadcastTemplateBox"));
    m_templateBox->addItem(tr("Custom"));
    m_templateBox->addItem(QStringLiteral("notification"));
    m_templateBox->addItem(QStringLiteral("processing_status"));
    m_templateBox->addItem(QStringLiteral("visual_analysis_result"));
    m_templateBox->setToolTip(tr("Fill the form with a ready event of the protocol"));
    m_payloadEdit->setObjectName(QStringLiteral("broadcastPayloadEdit"));
    m_payloadEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_payloadEdit->setTabChangesFocus(true);
    m_payloadEdit->setToolTip(tr("Any JSON value: an object, an array, a string, a number…"));
    m_validationLabel->setObjectName(QStringLiteral("broadcastValidationLabel"));
    m_validationLabel->setWordWrap(true);
    m_sendButton->setObjectName(QStringLiteral("broadcastSendButton"));
    m_sendButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_sendButton->setToolTip(tr("Send the event (Ctrl+Enter)"));

    m_historyView->setObjectName(QStringLiteral("broadcastHistoryView"));
    m_historyView->setModel(m_history);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyView->setAlternatingRowColors(true);
    m_historyView->setWordWrap(false);
    m_historyView->verticalHeader()->hide();
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    m_historyView->horizontalHeader()->resizeSection(BroadcastHistoryModel::TargetColumn, 200);
    m_historyView->horizontalHeader()->resizeSection(BroadcastHistoryModel::EventColumn, 170);
    fitColumnTitles(m_historyView->horizontalHeader());

    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(m_targetKind);
    targetRow->addWidget(m_targetEdit, 1);
    auto *eventRow = new QHBoxLayout;
    eventRow->addWidget(m_eventEdit, 1);
    eventRow->addWidget(new QLabel(tr("Template:"), this));
    eventRow->addWidget(m_templateBox);

    auto *formBox = new QGroupBox(tr("New broadcast"), this);
    auto *form = new QFormLayout(formBox);
    form->addRow(tr("&Target:"), targetRow);
    form->addRow(tr("&Event:"), eventRow);
    form->addRow(tr("&Payload:"), m_payloadEdit);
    auto *sendRow = new QHBoxLayout;
    sendRow->addWidget(m_validationLabel, 1);
    sendRow->addWidget(m_sendButton);
    form->addRow(sendRow);
    // Buddies for the mnemonics.
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(targetRow)))
        label->setBuddy(m_targetKind);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(eventRow)))
        label->setBuddy(m_eventEdit);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(m_payloadEdit)))
        label->setBuddy(m_payloadEdit);

    auto *historyBox = new QGroupBox(tr("Sent"), this);
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->addWidget(m_historyView);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("broadcastSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(formBox);
    splitter->addWidget(historyBox);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    setTabOrder(m_targetKind, m_targetEdit);
    setTabOrder(m_targetEdit, m_eventEdit);
    setTabOrder(m_eventEdit, m_templateBox);
    setTabOrder(m_templateBox, m_payloadEdit);
    setTabOrder(m_payloadEdit, m_sendButton);
    setTabOrder(m_sendButton, m_historyView);

    connect(m_targetKind, &QComboBox::currentIndexChanged, this, &BroadcastView::validate);
    connect(m_targetEdit, &QLineEdit::textChanged, this, &BroadcastView::validate);
    connect(m_eventEdit, &QLineEdit::textChanged, this, &BroadcastView::validate);
    connect(m_payloadEdit, &QPlainTextEdit::textChanged, this, &BroadcastView::validate);
    connect(m_templateBox, &QComboBox::activated, this,
            [this](int index) { applyTemplate(Template(index)); });
    connect(m_sendButton, &QPushButton::clicked, this, &BroadcastView::send);
    if (m_controller) {
        connect(m_controller, &ServerController::actionFinished, this,
                &BroadcastView::handleActionFinished);
    }
    applyTemplate(Template::Notification);
    m_templateBox->setCurrentIndex(int(Template::Notification));
}

void BroadcastView::setTarget(const QString &room, const QString &socketId)
{
    if (!socketId.isEmpty()) {
        m_targetKind->setCurrentIndex(int(Target::Socket));
        m_targetEdit->setText(socketId);
    } else if (!room.isEmpty()) {
        m_targetKind->setCurrentIndex(int(Target::Room));
        m_targetEdit->setText(room);
    } else {
        m_targetKind->setCurrentIndex(int(Target::All));
        m_targetEdit->clear();
    }
    validate();
}

void BroadcastView::applyTemplate(Template which)
{
    QJsonObject payload;
    QString event;
    switch (which) {
    case Template::Custom:
        return;
    case Template::Notification:
        event = QStringLiteral("notification");
        payload = { { QStringLiteral("level"), QStringLiteral("info") },
                    { QStringLiteral("title"), tr("Notice") },
                    { QStringLiteral("text"), tr("The operator says hello.") },
                    { QStringLiteral("timestamp"), timestamp() } };
        break;
    case Template::ProcessingStatus:
        event = QStringLiteral("processing_status");
        payload = { { QStringLiteral("video_id"), QStringLiteral("demo") },
                    { QStringLiteral("job_id"), QStringLiteral("manual") },
                    { QStringLiteral("state"), QStringLiteral("running") },
                    { QStringLiteral("stage"), QStringLiteral("decoding") },
                    { QStringLiteral("progress"), 0.5 },
                    { QStringLiteral("message"), QString() },
                    { QStringLiteral("timestamp"), timestamp() } };
        break;
    case Template::VisualAnalysisResult:
        event = QStringLiteral("visual_analysis_result");
        payload = { { QStringLiteral("video_id"), QStringLiteral("demo") },
                    { QStringLiteral("job_id"), QStringLiteral("manual") },
                    { QStringLiteral("kind"), QStringLiteral("shot") },
                    { QStringLiteral("start"), 0.0 },
                    { QStringLiteral("end"), 4.2 },
                    { QStringLiteral("confidence"), 0.9 },
                    { QStringLiteral("data"),
                      QJsonObject{ { QStringLiteral("index"), 0 },
                                   { QStringLiteral("transition"), QStringLiteral("cut") } } },
                    { QStringLiteral("timestamp"), timestamp() } };
        break;
    }
    m_eventEdit->setText(event);
    m_payloadEdit->setPlainText(pretty(payload));
    validate();
}

bool BroadcastView::isReservedEvent(const QString &event)
{
    static const QStringList reserved
        = { QStringLiteral("connect"),     QStringLiteral("connect_error"),
            QStringLiteral("disconnect"),  QStringLiteral("disconnecting"),
            QStringLiteral("newListener"), QStringLiteral("removeListener") };
    return reserved.contains(event);
}

QJsonValue BroadcastView::parsePayload(const QString &text, QString *error)
{
    if (text.trimmed().isEmpty())
        return QJsonValue(QJsonValue::Null);
    // Wrapping in an array accepts any JSON value, scalars included.
    QJsonParseError parseError;
    const QByteArray utf8 = text.toUtf8();
    const QJsonDocument document = QJsonDocument::fromJson("[" + utf8 + "\n]", &parseError);
    if (parseError.error != QJsonParseError::NoError || document.array().size() != 1) {
        if (error) {
            if (parseError.error == QJsonParseError::NoError) {
                *error = tr("Only one JSON value is allowed");
            } else {
                // Offsets count bytes of the wrapped text; report the line and column.
                const QByteArray before = utf8.left(qMax(0, parseError.offset - 1));
                const int line = int(before.count('\n')) + 1;
                const int column
                    = int(QString::fromUtf8(before.mid(before.lastIndexOf('\n') + 1)).size()) + 1;
                *error = tr("Invalid JSON at line %1, column %2: %3")
                             .arg(line)
                             .arg(column)
                             .arg(parseError.errorString());
            }
        }
        return QJsonValue(QJsonValue::Undefined);
    }
    return document.array().at(0);
}

QString BroadcastView::validationError() const
{
    const QString event = m_eventEdit->text().trimmed();
    if (event.isEmpty())
        return tr("Enter an event name");
    if (isReservedEvent(event))
        return tr("\"%1\" is reserved by Socket.IO").arg(event);
    const Target target = Target(m_targetKind->currentIndex());
    if (target == Target::Room && m_targetEdit->text().trimmed().isEmpty())
        return tr("Enter the room");
    if (target == Target::Socket && m_targetEdit->text().trimmed().isEmpty())
        return tr("Enter the socket id");
    QString error;
    if (parsePayload(m_payloadEdit->toPlainText(), &error).isUndefined())
        return error;
    return {};
}

void BroadcastView::validate()
{
    const bool everybody = Target(m_targetKind->currentIndex()) == Target::All;
    m_targetEdit->setEnabled(!everybody);
    m_targetEdit->setPlaceholderText(everybody ? QString()
                                         : Target(m_targetKind->currentIndex()) == Target::Room
                                         ? tr("Room name")
                                         : tr("Socket id"));
    const QString error = validationError();
    m_sendButton->setEnabled(error.isEmpty() && m_controller);
    if (error.isEmpty()) {
        m_validationLabel->setText(tr("Ready to send."));
        m_validationLabel->setStyleSheet(QString());
    } else {
        m_validationLabel->setText(error);
        m_validationLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
    }
}

bool BroadcastView::send()
{
    if (!validationError().isEmpty() || !m_controller)
        return false;
    const QJsonValue payload = parsePayload(m_payloadEdit->toPlainText(), nullptr);
    const Target target = Target(m_targetKind->currentIndex());
    BroadcastHistoryModel::Broadcast broadcast;
    broadcast.time = QDateTime::currentDateTimeUtc();
    broadcast.event = m_eventEdit->text().trimmed();
    if (target == Target::Room)
        broadcast.room = m_targetEdit->text().trimmed();
    if (target == Target::Socket)
        broadcast.socketId = m_targetEdit->text().trimmed();
    broadcast.payload = QString::fromUtf8(
        QJsonDocument(QJsonArray{ payload }).toJson(QJsonDocument::Compact).chopped(1).mid(1));
    // The answer is queued, so it cannot arrive before the row exists.
    broadcast.requestId
        = m_controller->emitEvent(broadcast.event, payload, broadcast.room, broadcast.socketId);
    m_history->append(broadcast);
    m_historyView->scrollToBottom();
    return true;
}

void BroadcastView::handleActionFinished(const QString &action, int delivered, const QString &error,
                                         quint64 requestId)
{
    if (action == u"emit")
        m_history->finish(requestId, delivered, error);
}

} // namespace mmv::ui
