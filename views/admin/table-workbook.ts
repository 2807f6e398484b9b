// The XLSX of a report page: one sheet per sortable table, its header bold and frozen, each column as wide and
// formatted as the table says. exceljs loads on the first export, not at start (it is large).
import type { Lang } from '../../db/schema';
import type { Cell, Table } from './sortable-table';

export type WorkbookSheet = { table: Table<unknown>; head: string[]; body: Cell[][] };

export async function tablesWorkbook(lang: Lang, sheets: WorkbookSheet[]): Promise<Buffer> {
  const wb = new (await import('exceljs')).default.Workbook();
  for (const { table, head, body } of sheets) {
    const ws = wb.addWorksheet(table.sheet(lang).slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] }); // Excel's limit
    ws.columns = table.columns.map((c) => ({ width: c.width ?? 14, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
    ws.addRow(head).font = { bold: true };
    for (const r of body) ws.addRow(r.map((v) => v ?? ''));
    if (body.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: head.length } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
