// The main window's layout at the sizes operators use: 1280x720 and a 4K screen (3840x2160;
// run a second time with QT_SCALE_FACTOR=2, where 4K is 1920x1080 device-independent pixels).
// For every tab: the window's minimum size fits the screen, every essential widget shown has
// a size, lies inside the window, is not squeezed below its minimum size hint, and does not
// overlap a sibling laid out next to it. MMV_LAYOUT_GRAB_DIR=<dir> also saves each tab as
// a PNG to look at.

#include "server/core/servercontroller.h"
#include "ui/mainwindow.h"
#include "ui/translator.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractScrollArea>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextEdit>

using namespace mmv;
using namespace mmv::ui;

namespace {

QString describe(const QWidget *widget)
{
    QString name = widget->objectName();
    if (name.isEmpty()) {
        if (const auto *label = qobject_cast<const QLabel *>(widget))
            name = QStringLiteral("\"%1\"").arg(label->text().left(40));
        else if (const auto *button = qobject_cast<const QAbstractButton *>(widget))
            name = QStringLiteral("\"%1\"").arg(button->text());
    }
    return QStringLiteral("%1 %2").arg(QString::fromLatin1(widget->metaObject()->className()),
                                       name);
}

/// Widgets an operator must be able to see and use.
bool isEssential(const QWidget *widget)
{
    if (qobject_cast<const QTabBar *>(widget) || qobject_cast<const QHeaderView *>(widget))
        return false; // a tab bar scrolls its tabs; a header is part of its view
    if (const auto *label = qobject_cast<const QLabel *>(widget))
        return !label->text().isEmpty() || !label->pixmap().isNull();
    return qobject_cast<const QAbstractButton *>(widget) || qobject_cast<const QLineEdit *>(widget)
        || qobject_cast<const QComboBox *>(widget)
        || qobject_cast<const QAbstractItemView *>(widget)
        || qobject_cast<const QPlainTextEdit *>(widget) || qobject_cast<const QTextEdit *>(widget);
}

/// Inside a scroll area's viewport a widget may be partly hidden on purpose.
bool isScrolled(const QWidget *widget, const QWidget *top)
{
    for (const QWidget *w = widget->parentWidget(); w && w != top; w = w->parentWidget()) {
        if (const auto *area = qobject_cast<const QAbstractScrollArea *>(w->parentWidget())) {
            if (area->viewport() == w)
                return true;
        }
    }
    return false;
}

/// Problems of the widgets shown in `window` now.
QStringList layoutProblems(QMainWindow &window)
{
    QStringList problems;
    const QRect windowRect = window.rect();
    const QList<QWidget *> widgets = window.findChildren<QWidget *>();
    for (QWidget *widget : widgets) {
        if (!widget->isVisibleTo(&window) || widget->isWindow() || !isEssential(widget)
            || isScrolled(widget, &window)) {
            continue;
        }
        const QRect rect(widget->mapTo(&window, QPoint(0, 0)), widget->size());
        if (widget->width() <= 0 || widget->height() <= 0) {
            problems << QStringLiteral("%1 has no size").arg(describe(widget));
            continue;
        }
        if (!windowRect.contains(rect)) {
            problems << QStringLiteral("%1 at %2,%3 %4x%5 is clipped by the window")
                            .arg(describe(widget))
                            .arg(rect.x())
                            .arg(rect.y())
                            .arg(rect.width())
                            .arg(rect.height());
        }
        // A list or text area must show at least two lines.
        if (qobject_cast<QAbstractScrollArea *>(widget)) {
            const int lines = 2 * widget->fontMetrics().height();
            if (widget->height() < lines) {
                problems << QStringLiteral("%1 is %2 high, less than two lines")
                                .arg(describe(widget))
                                .arg(widget->height());
            }
            continue;
        }
        // Squeezed below what it needs: a cut-off button text, a field too narrow to use.
        const QSize minimum = widget->minimumSizeHint();
        const bool wraps
            = qobject_cast<QLabel *>(widget) && static_cast<QLabel *>(widget)->wordWrap();
        if (!wraps && minimum.isValid()
            && (widget->width() < minimum.width() || widget->height() < minimum.height())) {
            problems << QStringLiteral("%1 is %2x%3, below its minimum %4x%5")
                            .arg(describe(widget))
                            .arg(widget->width())
                            .arg(widget->height())
                            .arg(minimum.width())
                            .arg(minimum.height());
        }
    }
    // Column titles must be readable: no column narrower than its title.
    for (QWidget *widget : widgets) {
        auto *header = qobject_cast<QHeaderView *>(widget);
        if (!header || header->orientation() != Qt::Horizontal || !header->isVisibleTo(&window))
            continue;
        for (int section = 0; section < header->count(); ++section) {
            if (header->isSectionHidden(section))
                continue;
            const bool stretched = header->stretchLastSection()
                && section == header->logicalIndex(header->count() - 1);
            if (!stretched && header->sectionSize(section) < header->sectionSizeHint(section)) {
                problems << QStringLiteral("%1: column \"%2\" is %3 wide, its title needs %4")
                                .arg(
                                    describe(header->parentWidget()),
                                    header->model()->headerData(section, Qt::Horizontal).toString())
                                .arg(header->sectionSize(section))
                                .arg(header->sectionSizeHint(section));
            }
        }
    }
    // The connections table fits beside the connection's details without scrolling sideways
    // (its less used columns start hidden, the rooms take what is left).
    for (QWidget *widget : widgets) {
        auto *table = qobject_cast<QTableView *>(widget);
        if (!table || table->objectName() != QLatin1String("connectionsTable")
            || !table->isVisibleTo(&window))
            continue;
        table->updateGeometry();
        QCoreApplication::processEvents();
        if (table->horizontalScrollBar()->maximum() > 0) {
            problems << QStringLiteral("%1 scrolls sideways by %2 pixels")
                            .arg(describe(table))
                            .arg(table->horizontalScrollBar()->maximum());
        }
    }
    // Siblings in one layout must not overlap.
    for (QWidget *parent : widgets) {
        if (!parent->isVisibleTo(&window) || !parent->layout()
            || qobject_cast<QSplitter *>(parent)) {
            continue;
        }
        QList<QWidget *> laidOut;
        const QObjectList children = parent->children();
        for (QObject *child : children) {
            auto *w = qobject_cast<QWidget *>(child);
            if (w && !w->isWindow() && w->isVisibleTo(&window)
                && parent->layout()->indexOf(w) >= 0) {
                laidOut << w;
            }
        }
        // Nested layouts place their widgets in the same parent.
        const QList<QLayout *> layouts = parent->findChildren<QLayout *>();
        for (QLayout *layout : layouts) {
            for (int i = 0; i < layout->count(); ++i) {
                QWidget *w = layout->itemAt(i)->widget();
                if (w && w->parentWidget() == parent && w->isVisibleTo(&window)
                    && !laidOut.contains(w)) {
                    laidOut << w;
                }
            }
        }
        for (qsizetype i = 0; i < laidOut.size(); ++i) {
            for (qsizetype j = i + 1; j < laidOut.size(); ++j) {
                if (laidOut[i]->geometry().intersects(laidOut[j]->geometry())) {
                    problems << QStringLiteral("%1 overlaps %2")
                                    .arg(describe(laidOut[i]), describe(laidOut[j]));
                }
            }
        }
    }
    problems.removeDuplicates();
    return problems;
}

} // namespace

class tst_DashboardLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void fitsTheScreen_data();
    void fitsTheScreen();
};

void tst_DashboardLayout::cleanupTestCase()
{
    installTranslations(*qApp, QStringLiteral("en"));
}

void tst_DashboardLayout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear(); // no remembered geometry or splitter sizes
}

void tst_DashboardLayout::fitsTheScreen_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QString>("language");
    const qreal ratio = qApp->devicePixelRatio();
    // Physical screens, in the device-independent pixels the window sees; German texts are
    // the longer ones.
    for (const char *language : { "en", "de" }) {
        if (ratio < 1.5)
            QTest::addRow("1280x720 %s", language)
                << QSize(1280, 720) << QString::fromLatin1(language);
        QTest::addRow("3840x2160 at ratio %g %s", ratio, language)
            << QSize(qRound(3840 / ratio), qRound(2160 / ratio)) << QString::fromLatin1(language);
    }
}

void tst_DashboardLayout::fitsTheScreen()
{
    QFETCH(QSize, size);
    QFETCH(QString, language);
    QVERIFY(installTranslations(*qApp, language));
    ServerController controller;
    MainWindow window(&controller);
    // The longest texts the status bar and the overview show: a busy server.
    ServerState state;
    state.status = ServerState::Status::Listening;
    state.bindAddress = QHostAddress(QHostAddress::AnyIPv4);
    state.port = 65535;
    state.urls = { QStringLiteral("http://192.168.100.200:65535/"),
                   QStringLiteral("http://[fd00:1234:5678:9abc::1]:65535/"),
                   QStringLiteral("http://127.0.0.1:65535/") };
    state.storage = QStringLiteral("redis");
    state.startedAt = QDateTime::currentDateTimeUtc();
    Q_EMIT controller.stateChanged(state);
    ServerStats stats;
    stats.uptimeSeconds = 12 * 86400 + 3600;
    stats.uptimeMs = stats.uptimeSeconds * 1000;
    stats.realtimeClients = 20'000;
    stats.httpConnections = 20'000;
    stats.storageHealth = QStringLiteral("connected");
    Q_EMIT controller.statsUpdated(stats);
    stats.uptimeMs += 1000;
    stats.messagesIn = 55'555;
    stats.messagesOut = 555'555;
    Q_EMIT controller.statsUpdated(stats);
    // The window with a frame on a screen of this size: the title bar and a panel take some.
    const QSize available = size - QSize(0, 60);
    window.resize(available);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE(window.size(), available);

    const QSize minimum = window.minimumSizeHint();
    QVERIFY2(minimum.width() <= available.width() && minimum.height() <= available.height(),
             qPrintable(QStringLiteral("the window needs at least %1x%2")
                            .arg(minimum.width())
                            .arg(minimum.height())));

    const QString grabDir = qEnvironmentVariable("MMV_LAYOUT_GRAB_DIR");
    QStringList problems;
    for (int tab = 0; tab < window.tabs()->count(); ++tab) {
        window.tabs()->setCurrentIndex(tab);
        // Let the layouts of the newly shown page settle.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents();
        const QString name = window.tabs()->tabText(tab).remove(QLatin1Char('&'));
        for (const QString &problem : layoutProblems(window))
            problems << QStringLiteral("%1 tab: %2").arg(name, problem);
        if (!grabDir.isEmpty()) {
            QDir().mkpath(grabDir);
            window.grab().save(QStringLiteral("%1/layout-%2x%3-%4-%5.png")
                                   .arg(grabDir)
                                   .arg(size.width())
                                   .arg(size.height())
                                   .arg(language, name.toLower()));
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_MAIN(tst_DashboardLayout)
#include "tst_dashboardlayout.moc"
