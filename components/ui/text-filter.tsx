'use client';
import { useEffect, useRef, useState } from 'react';
import { useDebounced } from '@/lib/use-debounced';
import { TextField } from './field';

/** A text filter typed freely and committed (to the URL) once typing pauses. */
export function TextFilter({
  label,
  value,
  onCommit,
  placeholder,
  list,
}: {
  label: string;
  value: string | undefined;
  onCommit: (v: string | undefined) => void;
  placeholder?: string;
  list?: string;
}) {
  const [text, setText] = useState(value ?? '');
  const committed = useRef(value ?? '');
  useEffect(() => {
    // changed from outside (a link, "Clear filters"): show it
    if ((value ?? '') !== committed.current) {
      committed.current = value ?? '';
      setText(value ?? '');
    }
  }, [value]);
  const debounced = useDebounced(text.trim(), 350);
  useEffect(() => {
    if (debounced !== committed.current) {
      committed.current = debounced;
      onCommit(debounced || undefined);
    }
  }, [debounced, onCommit]);
  return (
    <TextField label={label} type="search" value={text} placeholder={placeholder} list={list} spellCheck={false} onChange={(e) => setText(e.target.value)} />
  );
}
