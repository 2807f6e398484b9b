/** The key of a journal cell (one lesson, one student) in the maps the journal is loaded into. */
export const cellKey = (lessonId: number, studentId: number) => `${lessonId}:${studentId}`;
