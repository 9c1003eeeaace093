#include "logfilterproxymodel.h"

#include "logmodel.h"

namespace mmv::ui {

LogFilterProxyModel::LogFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{ }

void LogFilterProxyModel::setErrorsOnly(bool errorsOnly)
{
    if (m_errorsOnly == errorsOnly)
        return;
    m_errorsOnly = errorsOnly;
    invalidateRowsFilter();
}

void LogFilterProxyModel::setSearchText(const QString &text)
{
    if (m_searchText == text)
        return;
    m_searchText = text;
    invalidateRowsFilter();
}

bool LogFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    if (m_errorsOnly) {
        const auto type
            = QtMsgType(source->index(sourceRow, 0, sourceParent).data(LogModel::TypeRole).toInt());
        if (type != QtCriticalMsg && type != QtFatalMsg)
            return false;
    }
    if (m_searchText.isEmpty())
        return true;
    for (int column : { LogModel::CategoryColumn, LogModel::MessageColumn }) {
        const QString text = source->index(sourceRow, column, sourceParent).data().toString();
        if (text.contains(m_searchText, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace mmv::ui
