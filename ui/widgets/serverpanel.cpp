#include "serverpanel.h"

#include "statuslight.h"
#include "ui/uitext.h"

#include "server/core/logging.h"

#include <QAction>
#include <QClipboard>
#include <QDesktopServices>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace mmv::ui {

namespace {
QLabel *valueLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(UiText::none(), parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

/// Host and port of a Redis URL, never its password.
QString redisEndpoint(const QString &redisUrl)
{
    const QUrl url(redisUrl);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}
} // namespace

ServerPanel::ServerPanel(QWidget *parent)
    : QGroupBox(tr("Server"), parent)
    , m_light(new StatusLight(this))
    , m_statusLabel(valueLabel(QStringLiteral("statusLabel"), this))
    , m_errorLabel(valueLabel(QStringLiteral("errorLabel"), this))
    , m_bindLabel(valueLabel(QStringLiteral("bindAddressLabel"), this))
    , m_portLabel(valueLabel(QStringLiteral("portLabel"), this))
    , m_urlList(new QListWidget(this))
    , m_copyUrlButton(new QPushButton(tr("Copy"), this))
    , m_openUrlButton(new QPushButton(tr("Open"), this))
    , m_copyUrlAction(new QAction(tr("Copy URL"), this))
    , m_openUrlAction(new QAction(tr("Open in Browser"), this))
    , m_storageLabel(valueLabel(QStringLiteral("storageLabel"), this))
    , m_dataDirLabel(valueLabel(QStringLiteral("dataDirLabel"), this))
    , m_uptimeLabel(valueLabel(QStringLiteral("uptimeLabel"), this))
    , m_connectionsLabel(valueLabel(QStringLiteral("connectionsLabel"), this))
    , m_requestsLabel(valueLabel(QStringLiteral("requestsLabel"), this))
    , m_trafficLabel(valueLabel(QStringLiteral("trafficLabel"), this))
{
    setObjectName(QStringLiteral("serverPanel"));

    QFont statusFont = m_statusLabel->font();
    statusFont.setBold(true);
    m_statusLabel->setFont(statusFont);
    auto *statusRow = new QHBoxLayout;
    statusRow->setSpacing(6);
    statusRow->addWidget(m_light);
    statusRow->addWidget(m_statusLabel, 1);

    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_errorLabel->hide();

    m_dataDirLabel->setWordWrap(true);

    m_urlList->setObjectName(QStringLiteral("urlList"));
    m_urlList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_urlList->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_urlList->setToolTip(tr("Double-click to open a URL in the browser; right-click to copy it."));
    m_urlList->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_copyUrlAction->setShortcut(QKeySequence::Copy);
    m_copyUrlAction->setShortcutContext(Qt::WidgetShortcut);
    m_urlList->addAction(m_copyUrlAction);
    m_urlList->addAction(m_openUrlAction);

    m_copyUrlButton->setObjectName(QStringLiteral("copyUrlButton"));
    m_copyUrlButton->setToolTip(tr("Copy the selected URL to the clipboard"));
    m_openUrlButton->setObjectName(QStringLiteral("openUrlButton"));
    m_openUrlButton->setToolTip(tr("Open the selected URL in the web browser"));
    auto *urlButtons = new QVBoxLayout;
    urlButtons->addWidget(m_copyUrlButton);
    urlButtons->addWidget(m_openUrlButton);
    urlButtons->addStretch();
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_urlList, 1);
    urlRow->addLayout(urlButtons);

    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->addRow(tr("Status:"), statusRow);
    form->addRow(m_errorLabel);
    form->addRow(tr("Address:"), m_bindLabel);
    form->addRow(tr("Port:"), m_portLabel);
    form->addRow(tr("URLs:"), urlRow);
    form->addRow(tr("Storage:"), m_storageLabel);
    form->addRow(tr("Data directory:"), m_dataDirLabel);
    form->addRow(tr("Uptime:"), m_uptimeLabel);
    form->addRow(tr("Connections:"), m_connectionsLabel);
    form->addRow(tr("Requests:"), m_requestsLabel);
    form->addRow(tr("Traffic:"), m_trafficLabel);

    connect(m_copyUrlButton, &QPushButton::clicked, this, &ServerPanel::copyCurrentUrl);
    connect(m_copyUrlAction, &QAction::triggered, this, &ServerPanel::copyCurrentUrl);
    connect(m_openUrlButton, &QPushButton::clicked, this, &ServerPanel::openCurrentUrl);
    connect(m_openUrlAction, &QAction::triggered, this, &ServerPanel::openCurrentUrl);
    connect(m_urlList, &QListWidget::itemActivated, this, &ServerPanel::openCurrentUrl);
    connect(m_urlList, &QListWidget::currentRowChanged, this, &ServerPanel::updateUrlActions);

    setState(ServerState(), ServerConfig());
}

void ServerPanel::setState(const ServerState &state, const ServerConfig &config)
{
    m_listening = state.isListening();
    m_light->setStatus(state.status);
    m_statusLabel->setText(UiText::status(state.status));

    const bool failed = state.status == ServerState::Status::Failed;
    m_errorLabel->setText(failed ? state.error : QString());
    m_errorLabel->setVisible(failed && !state.error.isEmpty());

    m_bindLabel->setText(
        UiText::bindAddress(state.bindAddress.isNull() ? config.bindAddress : state.bindAddress));
    if (state.port != 0)
        m_portLabel->setText(QString::number(state.port));
    else if (config.port != 0)
        m_portLabel->setText(tr("%1 (configured)").arg(config.port));
    else
        m_portLabel->setText(tr("any free port"));

    const QString selected = currentUrl();
    m_urlList->clear();
    m_urlList->addItems(state.urls);
    const int selectedRow = int(state.urls.indexOf(selected));
    m_urlList->setCurrentRow(qMax(0, selectedRow));
    const int rows = qBound(2, int(state.urls.size()), 5);
    m_urlList->setFixedHeight(rows * (fontMetrics().height() + 4) + 2 * m_urlList->frameWidth()
                              + 4);
    updateUrlActions();

    QString storage = UiText::storage(state.storage);
    const QString endpoint = redisEndpoint(config.redisUrl);
    if (state.storage == QLatin1String("redis") && !endpoint.isEmpty())
        storage = tr("%1 at %2").arg(storage, endpoint);
    m_storageLabel->setText(storage);
    m_dataDirLabel->setText(config.dataDir.isEmpty() ? UiText::none() : config.dataDir);

    if (!m_listening)
        resetStats();
}

void ServerPanel::setStats(const ServerStats &stats)
{
    if (!m_listening) {
        resetStats();
        return;
    }
    m_uptimeLabel->setText(UiText::uptime(stats.uptimeSeconds));
    m_connectionsLabel->setText(tr("%1 live clients, %2 HTTP connections")
                                    .arg(stats.realtimeClients)
                                    .arg(stats.httpConnections));
    const QLocale locale;
    m_requestsLabel->setText(locale.toString(stats.requestsTotal));
    m_trafficLabel->setText(
        tr("%1 received, %2 sent")
            .arg(UiText::dataSize(stats.bytesIn), UiText::dataSize(stats.bytesOut)));
}

void ServerPanel::resetStats()
{
    m_uptimeLabel->setText(UiText::none());
    m_connectionsLabel->setText(UiText::none());
    m_requestsLabel->setText(UiText::none());
    m_trafficLabel->setText(UiText::none());
}

QString ServerPanel::currentUrl() const
{
    const QListWidgetItem *item = m_urlList->currentItem();
    return item ? item->text() : QString();
}

void ServerPanel::updateUrlActions()
{
    const bool hasUrl = !currentUrl().isEmpty();
    m_copyUrlButton->setEnabled(hasUrl);
    m_openUrlButton->setEnabled(hasUrl);
    m_copyUrlAction->setEnabled(hasUrl);
    m_openUrlAction->setEnabled(hasUrl);
}

void ServerPanel::copyCurrentUrl()
{
    const QString url = currentUrl();
    if (url.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(url);
    Q_EMIT copiedToClipboard(tr("URL copied to the clipboard: %1").arg(url));
}

void ServerPanel::openCurrentUrl()
{
    const QString url = currentUrl();
    if (url.isEmpty())
        return;
    if (!QDesktopServices::openUrl(QUrl(url)))
        qCWarning(lcUi) << "Could not open" << url << "in a web browser";
}

} // namespace mmv::ui
