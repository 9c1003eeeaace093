#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace mmv::ui {

class LogModel;
class LogFilterProxyModel;

/// The log view: warnings and errors of the whole process, polled from LogHub in batches,
/// with a level filter, a search field, Clear, and auto-scroll that stops while the user
/// looks at older lines.
class LogPanel : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DefaultPollIntervalMs = 250;

    explicit LogPanel(QWidget *parent = nullptr);

    LogModel *model() const { return m_model; }
    LogFilterProxyModel *proxyModel() const { return m_proxy; }
    QTableView *view() const { return m_view; }

    /// Fetches what LogHub gathered since the last poll and appends it as one batch.
    void poll();
    void clear();

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray &state);

private:
    void handleRowsInserted();
    void handleScrolled(int value);
    void copySelection();
    void updateEmptyLabel();

    LogModel *m_model;
    LogFilterProxyModel *m_proxy;
    QComboBox *m_levelFilter;
    QLineEdit *m_searchEdit;
    QPushButton *m_clearButton;
    QTableView *m_view;
    QLabel *m_emptyLabel;
    QTimer *m_pollTimer;
    qint64 m_lastSequence = 0;
    bool m_followTail = true;
};

} // namespace mmv::ui
