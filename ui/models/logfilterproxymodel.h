#pragma once

#include <QSortFilterProxyModel>

namespace mmv::ui {

/// Filters a LogModel by level (everything shown, or errors only) and by a text that the
/// category or the message must contain.
class LogFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LogFilterProxyModel(QObject *parent = nullptr);

    bool errorsOnly() const { return m_errorsOnly; }
    void setErrorsOnly(bool errorsOnly);
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_errorsOnly = false;
    QString m_searchText;
};

} // namespace mmv::ui
