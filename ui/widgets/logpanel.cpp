#include "logpanel.h"

#include "columnwidths.h"

#include "ui/uitext.h"

#include "ui/models/logfilterproxymodel.h"
#include "ui/models/logmodel.h"

#include "server/core/loghub.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace mmv::ui {

LogPanel::LogPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new LogModel(this))
    , m_proxy(new LogFilterProxyModel(this))
    , m_levelFilter(new QComboBox(this))
    , m_searchEdit(new QLineEdit(this))
    , m_clearButton(new QPushButton(tr("Clear"), this))
    , m_view(new QTableView(this))
    , m_emptyLabel(new QLabel(m_view->viewport()))
    , m_pollTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("logPanel"));
    m_model->setObjectName(QStringLiteral("logModel"));
    m_proxy->setObjectName(QStringLiteral("logProxyModel"));
    m_proxy->setSourceModel(m_model);

    m_levelFilter->setObjectName(QStringLiteral("logLevelFilter"));
    m_levelFilter->addItem(tr("Warnings and errors"));
    m_levelFilter->addItem(tr("Errors only"));
    m_searchEdit->setObjectName(QStringLiteral("logSearchEdit"));
    m_searchEdit->setPlaceholderText(tr("Filter by category or message"));
    m_searchEdit->setClearButtonEnabled(true);
    m_clearButton->setObjectName(QStringLiteral("clearLogButton"));
    m_clearButton->setToolTip(tr("Remove every line from the log view"));

    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->verticalHeader()->hide();
    // Fixed row heights keep layout cheap when thousands of rows arrive.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    // Widths from what the cells hold (an icon and the longest level, in this language), so
    // that neither the time nor the level is cut off.
    const QFontMetrics metrics = m_view->fontMetrics();
    const int padding = 2 * metrics.averageCharWidth()
        + 2 * m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view);
    int levelWidth = 0;
    for (QtMsgType type : { QtDebugMsg, QtInfoMsg, QtWarningMsg, QtCriticalMsg, QtFatalMsg })
        levelWidth = qMax(levelWidth, metrics.horizontalAdvance(UiText::logLevel(type)));
    const int iconWidth = m_view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_view);
    header->resizeSection(LogModel::TimeColumn,
                          metrics.horizontalAdvance(QStringLiteral("00:00:00")) + padding);
    header->resizeSection(LogModel::LevelColumn, iconWidth + levelWidth + 2 * padding);
    header->resizeSection(LogModel::CategoryColumn,
                          metrics.horizontalAdvance(QStringLiteral("mmv.analysis")) + padding);
    fitColumnTitles(header);

    // Shown over the empty table so that a quiet log reads as good news, not as a broken view.
    m_emptyLabel->setObjectName(QStringLiteral("logEmptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_emptyLabel->setAttribute(Qt::WA_TransparentForMouseEvents);
    auto *emptyLayout = new QVBoxLayout(m_view->viewport());
    emptyLayout->addWidget(m_emptyLabel);

    auto *copyAction = new QAction(tr("Copy"), m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(copyAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *toolbar = new QHBoxLayout;
    auto *showLabel = new QLabel(tr("&Show:"), this);
    showLabel->setBuddy(m_levelFilter);
    toolbar->addWidget(showLabel);
    toolbar->addWidget(m_levelFilter);
    toolbar->addWidget(m_searchEdit, 1);
    toolbar->addWidget(m_clearButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(toolbar);
    layout->addWidget(m_view, 1);

    connect(m_levelFilter, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_proxy->setErrorsOnly(index == 1); });
    connect(m_searchEdit, &QLineEdit::textChanged, m_proxy, &LogFilterProxyModel::setSearchText);
    connect(m_clearButton, &QPushButton::clicked, this, &LogPanel::clear);
    connect(copyAction, &QAction::triggered, this, &LogPanel::copySelection);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &LogPanel::handleRowsInserted);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &LogPanel::handleScrolled);
    connect(m_pollTimer, &QTimer::timeout, this, &LogPanel::poll);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &LogPanel::updateEmptyLabel);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &LogPanel::updateEmptyLabel);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &LogPanel::updateEmptyLabel);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &LogPanel::updateEmptyLabel);
    updateEmptyLabel();

    m_pollTimer->start(DefaultPollIntervalMs);
    poll();
}

void LogPanel::poll()
{
    const QList<LogEntry> entries = LogHub::instance().entriesAfter(m_lastSequence);
    if (entries.isEmpty())
        return;
    m_lastSequence = entries.constLast().sequence;
    m_model->appendEntries(entries);
}

void LogPanel::clear()
{
    m_model->clear();
    m_followTail = true;
}

QByteArray LogPanel::saveHeaderState() const
{
    return m_view->horizontalHeader()->saveState();
}

void LogPanel::restoreHeaderState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_view->horizontalHeader()->restoreState(state);
}

void LogPanel::handleScrolled(int value)
{
    // Only a change of position (by the user, or by us) moves the decision; a range that
    // grows under a scrolled-up view keeps the view where the user left it.
    m_followTail = value >= m_view->verticalScrollBar()->maximum();
}

void LogPanel::handleRowsInserted()
{
    if (m_followTail)
        m_view->scrollToBottom();
}

void LogPanel::updateEmptyLabel()
{
    const bool empty = m_proxy->rowCount() == 0;
    m_emptyLabel->setVisible(empty);
    if (!empty)
        return;
    m_emptyLabel->setText(m_model->rowCount() == 0 ? tr("No warnings or errors so far.")
                                                   : tr("No lines match the filter."));
}

void LogPanel::copySelection()
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (const QModelIndex &index : std::as_const(rows)) {
        const LogEntry &e = m_model->entry(m_proxy->mapToSource(index).row());
        lines.append(QStringLiteral("%1 %2 %3: %4")
                         .arg(e.time.toLocalTime().toString(Qt::ISODateWithMs),
                              m_proxy->index(index.row(), LogModel::LevelColumn).data().toString(),
                              e.category, e.message));
    }
    if (!lines.isEmpty())
        QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

} // namespace mmv::ui
